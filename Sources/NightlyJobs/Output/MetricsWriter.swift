import Foundation
import NightlyCore

/// The node_exporter textfile of each step: the families every step exports, the step's own families from the
/// ledger's history, and the values the step measured during the run. Written at the end of the run, each file
/// atomically, also when the run failed (so the failure shows, with the last success kept).
public final class MetricsWriter {
    let folder: URL
    /// Each step's staleness threshold, exported beside its last success.
    let staleness: StalenessSettings
    /// Families measured during the run, by step.
    private var measured: [String: [MetricFamily]] = [:]

    init(settings: Settings) {
        folder = URL(fileURLWithPath: settings.metricsDirectory, isDirectory: true)
        staleness = settings.staleness
    }

    /// Adds families a step measured during the run to its metric file.
    public func add(_ families: [MetricFamily], for step: StepName) {
        measured[step.rawValue, default: []] += families
    }

    /// Writes one file per report. `histories` is nil when the ledger could not be read.
    func write(reports: [StepReport], steps: [any NightlyStep], histories: [String: StepHistory]?) throws {
        for report in reports {
            let file = folder.appendingPathComponent("checkout_nightly_\(report.step.replacingOccurrences(of: "-", with: "_")).prom")
            let previous = (try? String(contentsOf: file, encoding: .utf8)).flatMap {
                StepMetrics.lastSuccess(inPreviousFile: $0, step: report.step)
            }
            let history = histories?[report.step]
            let stepFamilies = steps.first { $0.name.rawValue == report.step }?.metrics(for: report, history: history) ?? []
            let families = StepMetrics.families(
                report: report, history: history, previousLastSuccess: previous,
                staleAfter: staleness.staleAfter(step: report.step))
                + stepFamilies + (measured[report.step] ?? [])
            try AtomicFile.write(MetricExposition.render(families), to: file, mode: AtomicFile.metricFileMode)
        }
    }
}
