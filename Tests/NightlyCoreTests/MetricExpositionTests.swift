import Foundation
import NightlyCore
import Testing

@Suite("Prometheus text exposition")
struct MetricExpositionTests {
    @Test func sortedStableAndEscaped() {
        let families = [
            MetricFamily(
                name: "z_total", help: "Last family.\nSecond line", kind: .counter,
                samples: [.init(["step": "b"], 2), .init(["step": "a", "kind": "x\"y\\z"], 1)]),
            MetricFamily.single("a_seconds", .gauge, "First family.", 0.25),
        ]
        let expected = """
            # HELP a_seconds First family.
            # TYPE a_seconds gauge
            a_seconds 0.25
            # HELP z_total Last family.\\nSecond line
            # TYPE z_total counter
            z_total{kind="x\\"y\\\\z",step="a"} 1
            z_total{step="b"} 2

            """
        #expect(MetricExposition.render(families) == expected)
        #expect(MetricExposition.render(families.reversed()) == expected)
    }

    @Test func stepMetricsExportEveryOutcomeAndKeepLastSuccess() {
        let report = StepReport(phase: .step("reports"), outcome: .failed, startedAt: Date(timeIntervalSince1970: 100), duration: 2)
        let families = StepMetrics.families(report: report, history: nil, previousLastSuccess: 50, staleAfter: 1800)
        let text = MetricExposition.render(families)
        for outcome in StepOutcome.allCases {
            #expect(text.contains("checkout_nightly_step_outcome{outcome=\"\(outcome.rawValue)\",step=\"reports\"} \(outcome == .failed ? 1 : 0)"))
        }
        #expect(StepMetrics.lastSuccess(inPreviousFile: text, step: "reports") == 50)
        #expect(text.contains("checkout_nightly_step_last_run_timestamp_seconds{step=\"reports\"} 102"))

        let history = StepHistory(step: "reports", runs: [.succeeded: 3, .failed: 1],
                                  lastSucceededAt: Date(timeIntervalSince1970: 80))
        let fromLedger = MetricExposition.render(StepMetrics.families(report: report, history: history, previousLastSuccess: 50, staleAfter: 1800))
        #expect(StepMetrics.lastSuccess(inPreviousFile: fromLedger, step: "reports") == 80)
        #expect(fromLedger.contains("checkout_nightly_step_runs_total{outcome=\"succeeded\",step=\"reports\"} 3"))
        #expect(fromLedger.contains("checkout_nightly_step_runs_total{outcome=\"skipped\",step=\"reports\"} 0"))
    }

    /// Only a run that did the step's work moves its last success: a skipped one (another copy held the lock) keeps
    /// the previous value as a failed one does, so the staleness alert fires while a hung copy holds the lock.
    @Test(arguments: [(StepOutcome.succeeded, 102.0), (.stoppedEarly, 102), (.skipped, 50), (.failed, 50)])
    func lastSuccessMovesOnlyForRunsThatDidTheWork(_ outcome: StepOutcome, _ lastSuccess: Double) {
        let report = StepReport(phase: .step("recovery"), outcome: outcome, startedAt: Date(timeIntervalSince1970: 100), duration: 2)
        let text = MetricExposition.render(StepMetrics.families(report: report, history: nil, previousLastSuccess: 50, staleAfter: 3600))
        #expect(StepMetrics.lastSuccess(inPreviousFile: text, step: "recovery") == lastSuccess)
    }
}

@Suite("Masking and formatting")
struct MaskingTests {
    @Test(arguments: [("jane.doe@example.com", "j***@example.com"), ("a@b.de", "a***@b.de"), ("nonsense", "***"), ("@x.com", "***")])
    func emails(_ email: String, _ masked: String) {
        #expect(EmailMask.mask(email) == masked)
    }

    @Test func durationsAndAges() {
        #expect(Formatting.duration(0.5) == "0.50 s")
        #expect(Formatting.duration(125) == "2 min 05 s")
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(Formatting.age(of: now.addingTimeInterval(-3 * 3600 - 600), now: now) == "3 h 10 min")
        #expect(Formatting.counts(["b": 2, "a": 1]) == "a 1 · b 2")
    }
}
