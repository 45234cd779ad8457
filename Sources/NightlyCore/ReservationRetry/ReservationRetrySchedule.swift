import Foundation

/// When each attempt at confirming one failed reservation falls due: every delay counts from the previous attempt
/// (the order service's own confirmation, at the order's creation, for the first), and there are as many attempts
/// as delays.
public struct ReservationRetrySchedule: Sendable, Equatable {
    /// The wait before attempt 1, 2, … after the attempt before it.
    public let delays: [TimeInterval]

    public init(delays: [TimeInterval]) { self.delays = delays }

    /// The most attempts one error gets.
    public var maxAttempts: Int { delays.count }

    /// The longest wait between two attempts: also the most a service's `Retry-After` may postpone an attempt,
    /// so a service asking for years (or for more seconds than a timestamp holds) delays an error by one day at
    /// most with the default delays.
    public var longestDelay: TimeInterval { delays.max() ?? 0 }

    /// When the first attempt falls due for an error of an order created at `orderCreatedAt`.
    public func firstAttempt(orderCreatedAt: Date) -> Date { orderCreatedAt.addingTimeInterval(delays[0]) }

    /// When the attempt after attempt number `attempt` (1-based), made at `attemptedAt`, falls due: never before
    /// the service's `Retry-After`; nil when `attempt` was the last one.
    public func nextAttempt(after attempt: Int, attemptedAt: Date, notBefore retryAfter: Date? = nil) -> Date? {
        guard attempt >= 1, attempt < maxAttempts else { return nil }
        let scheduled = attemptedAt.addingTimeInterval(delays[attempt])
        guard let retryAfter else { return scheduled }
        return max(scheduled, retryAfter)
    }
}
