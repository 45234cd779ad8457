import Foundation

/// How one step of a run ended.
public enum StepOutcome: String, CaseIterable, Sendable, Codable {
    case succeeded
    case failed
    /// Another copy held the step's lock: the step did not run, so it is not a success (see `advancesLastSuccess`).
    case skipped
    /// The step hit its time limit and stopped cleanly after a committed batch.
    case stoppedEarly = "stopped_early"

    /// True for outcomes that are not a failure (the pages' tone, the cleanup passes' success counter).
    public var isSuccess: Bool { self != .failed }

    /// True for outcomes after which the step's work is done: they move its last-success time. A skipped step did
    /// not run, so like a failed one it keeps the previous time and the staleness alert can fire.
    public var advancesLastSuccess: Bool { self == .succeeded || self == .stoppedEarly }
}

/// What one step did, as recorded in the run ledger and shown on the site and in the metric files.
public struct StepReport: Sendable, Equatable {
    /// The step, or the run's own phase (`publish`) the report is about.
    public var phase: RunPhase
    public var outcome: StepOutcome
    public var startedAt: Date
    public var duration: Double
    /// Named counts, such as `cleaned` or `skipped_order_missing`.
    public var counts: [String: Int]
    public var error: String?

    public init(
        phase: RunPhase, outcome: StepOutcome, startedAt: Date, duration: Double, counts: [String: Int] = [:],
        error: String? = nil
    ) {
        self.phase = phase
        self.outcome = outcome
        self.startedAt = startedAt
        self.duration = duration
        self.counts = counts
        self.error = error
    }

    /// The name the ledger, the logs, the metric files and the pages use: the step's name, or the phase's.
    public var step: String { phase.description }
}
