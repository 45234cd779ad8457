import Foundation

/// How one step of a run ended.
public enum StepOutcome: String, CaseIterable, Sendable, Codable {
    case succeeded
    case failed
    /// Another copy held the step's lock, or the step had nothing it could do.
    case skipped
    /// The step hit its time limit and stopped cleanly after a committed batch.
    case stoppedEarly = "stopped_early"

    /// True for outcomes that count as a successful run of the step.
    public var isSuccess: Bool { self != .failed }
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
