import Foundation

/// The view model of the jobs page: every step's recent runs from the run ledger, with a duration trend.
public struct JobsPage: Sendable {
    /// One step's section.
    public struct StepSection: Sendable {
        public var step: String
        public var anchor: String
        public var summary: String
        public var figure: Figure?
        public var emptyText: String
    }

    public var stamp: PageStamp
    public var runsPerStep = JobsPage.runsPerStep
    public var sections: [StepSection]

    /// How many of each step's newest runs the page shows.
    public static let runsPerStep = 30

    /// `recentRuns` holds each step's newest runs (at most `runsPerStep`), newest first; `knownSteps` are the
    /// steps of this build, in run order (other names in the ledger follow, sorted).
    public init(now: Date, runID: UUID, knownSteps: [StepName], recentRuns: [String: [StepReport]]) {
        stamp = PageStamp(now: now, runID: runID)
        let known = knownSteps.map(\.rawValue)
        let steps = known + recentRuns.keys.filter { !known.contains($0) }.sorted()
        sections = steps.map { step in
            let runs = recentRuns[step] ?? []
            let anchor = "jobs-\(step)"
            guard !runs.isEmpty else {
                return StepSection(
                    step: step, anchor: anchor, summary: "", figure: nil,
                    emptyText: "No run of \(step) is recorded in the run ledger yet.")
            }
            let failed = runs.filter { !$0.outcome.isSuccess }.count
            let oldestFirst = Array(runs.reversed())
            let chart = LineChart(
                id: anchor + "-chart", title: "\(step): duration of the last \(runs.count) runs",
                description: "How long each of the last \(runs.count) runs of \(step) took, oldest on the left, in seconds.",
                xAxisLabel: "Run start (UTC)", yAxisLabel: "Duration (s)",
                labels: oldestFirst.map { Formatting.shortTimestamp($0.startedAt) },
                series: [(name: "Duration", values: oldestFirst.map(\.duration))],
                wholeNumbers: false, format: { String(format: $0 < 10 ? "%.2f s" : "%.0f s", $0) })
            let table = DataTable(
                id: anchor, caption: "\(step): recent runs, newest first",
                columns: [TableColumn("Started"), TableColumn("Outcome"), TableColumn("Duration", numeric: true),
                          TableColumn("Counts"), TableColumn("Error")],
                rows: runs.map { run in
                    [TableCell(Formatting.timestamp(run.startedAt)),
                     TableCell(run.outcome.rawValue, tone: run.outcome.isSuccess ? nil : .bad),
                     TableCell(Formatting.duration(run.duration)), TableCell(Formatting.counts(run.counts)),
                     TableCell(run.error ?? "")]
                })
            return StepSection(
                step: step, anchor: anchor,
                summary: "\(runs.count) recent runs, \(failed) failed; last \(runs[0].outcome.rawValue) at \(Formatting.timestamp(runs[0].startedAt)).",
                figure: Figure(line: chart, table: table), emptyText: "")
        }
    }

    public var tables: [DataTable] { sections.compactMap { $0.figure?.table } }
}
