import Foundation

/// The view model of the site's overview page: what the last run did and how fresh the data is.
public struct OverviewPage: Sendable {
    /// One step run as a table row.
    public struct StepRow: Sendable {
        public var step: String
        public var outcome: String
        public var failed: Bool
        public var started: String
        public var duration: String
        public var counts: String
        public var error: String

        public init(_ report: StepReport) {
            step = report.step
            outcome = report.outcome.rawValue
            failed = !report.outcome.isSuccess
            started = Formatting.timestamp(report.startedAt)
            duration = Formatting.duration(report.duration)
            counts = Formatting.counts(report.counts)
            error = report.error ?? ""
        }
    }

    /// One freshness figure: a newest timestamp, its age and whether it is older than expected.
    public struct FreshnessRow: Sendable {
        public var label: String
        public var value: String
        public var age: String
        public var stale: Bool
    }

    public var generatedAt: String
    public var runID: String
    public var runOutcome: String
    public var runFailed: Bool
    public var dryRun: Bool
    public var steps: [StepRow]
    public var freshness: [FreshnessRow]
    public var history: [StepRow]

    /// Builds the page. Data older than `staleAfter` seconds is flagged as stale.
    public init(
        now: Date, runID: UUID, dryRun: Bool, steps: [StepReport], freshness: [(label: String, date: Date?)],
        history: [StepReport], staleAfter: TimeInterval = 6 * 3600
    ) {
        generatedAt = Formatting.timestamp(now)
        self.runID = runID.uuidString.lowercased()
        runFailed = steps.contains { !$0.outcome.isSuccess }
        runOutcome = runFailed ? "failed" : "succeeded"
        self.dryRun = dryRun
        self.steps = steps.map(StepRow.init)
        self.freshness = freshness.map { item in
            guard let date = item.date else {
                return FreshnessRow(label: item.label, value: "no data", age: "—", stale: true)
            }
            return FreshnessRow(
                label: item.label, value: Formatting.timestamp(date), age: Formatting.age(of: date, now: now),
                stale: now.timeIntervalSince(date) > staleAfter)
        }
        self.history = history.map(StepRow.init)
    }
}
