import Foundation

/// The run's clock. Every cutoff the passes compute is compared with timestamps the database's clock wrote, so
/// the run's `now` is the database's clock; `--now` (tests and replays) may move it back, never ahead: a clock
/// ahead of the database's would delete live sessions and mail customers who are still shopping.
public struct RunClock: Sendable, Equatable {
    /// How far `--now` may be ahead of the database's clock (the time between reading it and checking).
    public static let tolerance: TimeInterval = 1

    public let now: Date
    /// The host's clock minus the database's, in seconds: logged, so a drifting host is noticed.
    public let hostOffset: TimeInterval

    /// `fixed` is the `--now` given on the command line, if any.
    public init(databaseNow: Date, hostNow: Date = Date(), fixed: Date?) throws {
        hostOffset = hostNow.timeIntervalSince(databaseNow)
        if let fixed {
            guard fixed.timeIntervalSince(databaseNow) <= Self.tolerance else {
                throw ConfigurationError(
                    setting: "now",
                    message: "--now is \(ISO8601Timestamp.format(fixed)), ahead of the database's clock (\(ISO8601Timestamp.format(databaseNow))); a run may only be replayed at an earlier time")
            }
            now = fixed
        } else {
            now = databaseNow
        }
    }
}
