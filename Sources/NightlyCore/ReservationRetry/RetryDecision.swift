import Foundation

/// What becomes of a failed confirmation after one attempt's outcome.
public enum RetryDecision: Sendable, Equatable {
    /// Confirmed: the error leaves the order's metadata.
    case confirmed
    /// No attempt left, or a permanent answer: a person must act.
    case exhausted(ExhaustedReason)
    /// Tried again at this time.
    case retry(at: Date)
    /// The attempt does not count (the batch's token was refused); the error stays due as it was.
    case uncounted

    /// The decision after attempt number `attempt` (1-based) ended with `outcome` at `attemptedAt`.
    public init(outcome: ConfirmationOutcome, attempt: Int, attemptedAt: Date, schedule: ReservationRetrySchedule) {
        switch outcome {
        case .confirmed, .alreadyConfirmed: self = .confirmed
        case .permanent(let reason): self = .exhausted(reason)
        case .unauthorized: self = .uncounted
        case .overloaded(let retryAfter):
            self = schedule.nextAttempt(after: attempt, attemptedAt: attemptedAt, notBefore: retryAfter)
                .map { .retry(at: $0) } ?? .exhausted(.attemptsExhausted)
        case .transient:
            self = schedule.nextAttempt(after: attempt, attemptedAt: attemptedAt)
                .map { .retry(at: $0) } ?? .exhausted(.attemptsExhausted)
        }
    }

    /// The error's state in the retry ledger after this decision.
    public var state: String {
        switch self {
        case .confirmed: "confirmed"
        case .exhausted: "exhausted"
        case .retry, .uncounted: "pending"
        }
    }
}
