import Foundation

/// What the run ledger knows about one step across all runs: the source of counters and last-success times,
/// so they survive the loss of the machine that ran the batch.
public struct StepHistory: Sendable, Equatable {
    public var step: String
    /// Finished runs per outcome.
    public var runs: [StepOutcome: Int]
    public var lastSucceededAt: Date?
    /// Each count summed over every finished run, such as all carts ever cleaned.
    public var totals: [String: Int]

    public init(
        step: String, runs: [StepOutcome: Int] = [:], lastSucceededAt: Date? = nil,
        totals: [String: Int] = [:]
    ) {
        self.step = step
        self.runs = runs
        self.lastSucceededAt = lastSucceededAt
        self.totals = totals
    }
}

/// The metric families every step exports in its own textfile, whatever the step does.
public enum StepMetrics {
    /// Families for `report` (this run) and `history` (the ledger, this run included).
    /// `previousLastSuccess` carries the last-success time over when the ledger could not be read; `staleAfter`
    /// is the step's staleness threshold (`StalenessSettings`), exported for the alert rule.
    public static func families(
        report: StepReport, history: StepHistory?, previousLastSuccess: Double?, staleAfter: TimeInterval
    ) -> [MetricFamily] {
        let step = ["step": report.step]
        let finished = report.startedAt.timeIntervalSince1970 + report.duration
        let lastSuccess = history?.lastSucceededAt?.timeIntervalSince1970
            ?? (report.outcome.advancesLastSuccess ? finished : previousLastSuccess)
        var families: [MetricFamily] = [
            MetricFamily(
                name: "checkout_nightly_step_last_run_timestamp_seconds",
                help: "Unix time the step last finished, whatever its outcome.", kind: .gauge,
                samples: [.init(step, finished)]),
            MetricFamily(
                name: "checkout_nightly_step_duration_seconds",
                help: "How long the step's last run took.", kind: .gauge,
                samples: [.init(step, report.duration)]),
            MetricFamily(
                name: "checkout_nightly_step_outcome",
                help: "1 for the outcome of the step's last run, 0 for every other outcome.", kind: .gauge,
                samples: StepOutcome.allCases.map {
                    .init(step.merging(["outcome": $0.rawValue]) { a, _ in a }, $0 == report.outcome ? 1 : 0)
                }),
            MetricFamily(
                name: "checkout_nightly_step_last_success_timestamp_seconds",
                help: "Unix time the step last succeeded (0 if it never has); kept through failed and skipped runs.",
                kind: .gauge, samples: [.init(step, lastSuccess ?? 0)]),
            MetricFamily(
                name: "checkout_nightly_step_stale_after_seconds",
                help: "How long after its last success the step counts as stale (its schedule's alert threshold).",
                kind: .gauge, samples: [.init(step, staleAfter)]),
            MetricFamily(
                name: "checkout_nightly_step_items",
                help: "What the step's last run counted (carts cleaned, messages sent, …), by item.", kind: .gauge,
                samples: report.counts.map { .init(step.merging(["item": $0.key]) { a, _ in a }, Double($0.value)) }),
        ]
        if let history {
            let items = Set(history.totals.keys).union(report.counts.keys)
            families.append(
                MetricFamily(
                    name: "checkout_nightly_step_items_total",
                    help: "What the step counted over all runs in the run ledger, by item.", kind: .counter,
                    samples: items.map { .init(step.merging(["item": $0]) { a, _ in a }, Double(history.totals[$0] ?? 0)) }))
            families.append(
                MetricFamily(
                    name: "checkout_nightly_step_runs_total",
                    help: "Finished runs of the step by outcome, counted from the run ledger.", kind: .counter,
                    samples: StepOutcome.allCases.map {
                        .init(step.merging(["outcome": $0.rawValue]) { a, _ in a }, Double(history.runs[$0] ?? 0))
                    }))
        }
        return families
    }

    /// Reads the last-success value a previous metric file held for `step`, so a run that cannot reach the
    /// ledger still keeps it.
    public static func lastSuccess(inPreviousFile text: String, step: String) -> Double? {
        let prefix = "checkout_nightly_step_last_success_timestamp_seconds{step=\"\(MetricExposition.escapeLabelValue(step))\"} "
        for line in text.split(separator: "\n") where line.hasPrefix(prefix) {
            return Double(line.dropFirst(prefix.count))
        }
        return nil
    }
}
