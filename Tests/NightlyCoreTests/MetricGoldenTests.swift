import Foundation
import NightlyCore
import Testing
import TestSupport

@Suite("Exposition text of fixed inputs matches the golden files")
struct MetricGoldenTests {
    static let start = Date(timeIntervalSince1970: 1_795_572_000)

    static let cases: [(name: String, report: StepReport, history: StepHistory?, previous: Double?)] = [
        ("metrics/first_success.prom",
         StepReport(phase: .step("stuck-carts"), outcome: .succeeded, startedAt: start, duration: 1.25,
                    counts: ["cleaned": 12, "conflicts": 0, "skipped_order_missing": 2]),
         StepHistory(step: "stuck-carts", runs: [.succeeded: 1], lastSucceededAt: start.addingTimeInterval(1.25),
                     totals: ["cleaned": 12, "conflicts": 0, "skipped_order_missing": 2]),
         nil),
        ("metrics/failed_after_successes.prom",
         StepReport(phase: .step("reports"), outcome: .failed, startedAt: start, duration: 0.5, error: "boom"),
         StepHistory(step: "reports", runs: [.succeeded: 5, .failed: 1], lastSucceededAt: start.addingTimeInterval(-86_400)),
         nil),
        ("metrics/unreachable_database.prom",
         StepReport(phase: .step("recovery"), outcome: .failed, startedAt: start, duration: 0),
         nil,
         1_795_485_600),
    ]

    @Test(arguments: cases.indices)
    func golden(_ index: Int) throws {
        let item = Self.cases[index]
        let text = MetricExposition.render(
            StepMetrics.families(report: item.report, history: item.history, previousLastSuccess: item.previous,
                staleAfter: StalenessSettings().staleAfter(step: item.report.step)))
        let mismatch = try goldenMismatch(text, named: item.name)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }
}
