import Foundation

/// The selectable parts of a nightly run (`run --only`), in the order a full run executes them.
public enum StepName: String, CaseOrdered, Sendable, Codable {
    case stuckCarts = "stuck-carts"
    case expiredSessions = "expired-sessions"
    case recovery = "recovery"
    case reservationRetry = "reservation-retry"
    case reports = "reports"

    /// Parses a comma-separated `--only` list; unknown names are a configuration error naming them.
    public static func parseList(_ text: String) throws -> [StepName] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else {
            throw ConfigurationError(setting: "only", message: "--only needs at least one step name")
        }
        var steps: [StepName] = []
        for name in names {
            guard let step = StepName(rawValue: name) else {
                throw ConfigurationError(
                    setting: "only",
                    message: "--only names an unknown step \"\(name)\"; choose from \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !steps.contains(step) { steps.append(step) }
        }
        return steps.sorted()
    }
}

/// An enumeration ordered by the order its cases are declared in.
public protocol CaseOrdered: CaseIterable, Comparable {}

extension CaseOrdered {
    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

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
    public var step: String
    public var outcome: StepOutcome
    public var startedAt: Date
    public var duration: Double
    /// Named counts, such as `cleaned` or `skipped_order_missing`.
    public var counts: [String: Int]
    public var error: String?

    public init(
        step: String, outcome: StepOutcome, startedAt: Date, duration: Double, counts: [String: Int] = [:],
        error: String? = nil
    ) {
        self.step = step
        self.outcome = outcome
        self.startedAt = startedAt
        self.duration = duration
        self.counts = counts
        self.error = error
    }
}
