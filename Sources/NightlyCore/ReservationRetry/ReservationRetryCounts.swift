import Foundation

/// What one run of the reservation-confirmation retry pass did; every count is exported, zero included.
public struct ReservationRetryCounts: StepCounts {
    /// Failed confirmations newly taken into the retry ledger.
    public var enrolled = 0
    /// Error entries without a `reservation_id` in orders of the window: never called, left on the malformed list.
    public var skippedMalformed = 0
    /// Pending errors whose entry left the order's metadata by other means (a person reconciled it).
    public var withdrawn = 0
    /// Calls of earlier runs that were killed before their answer was recorded; tried again with the same key.
    public var interrupted = 0
    /// Calls made.
    public var calls = 0
    public var confirmed = 0
    public var alreadyConfirmed = 0
    public var permanent = 0
    public var overloaded = 0
    public var transient = 0
    public var unauthorized = 0
    /// Confirmed errors whose order row another transaction held longer than `lock_timeout`: not recorded in this
    /// run, due again (same Idempotency-Key) in the next.
    public var skippedLocked = 0
    /// Errors given another attempt later.
    public var rescheduled = 0
    /// Errors that need a person now (permanent answer or last attempt failed).
    public var exhausted = 0
    /// Due errors not called because the circuit opened.
    public var deferred = 0
    /// 1 when the circuit breaker opened in this run.
    public var circuitOpen = 0
    /// Calls a dry run would have made (it makes none).
    public var wouldCall = 0

    public init() {}

    /// Adds one call's outcome.
    public mutating func count(_ outcome: ConfirmationOutcome) {
        calls += 1
        switch outcome {
        case .confirmed: confirmed += 1
        case .alreadyConfirmed: alreadyConfirmed += 1
        case .permanent: permanent += 1
        case .overloaded: overloaded += 1
        case .transient: transient += 1
        case .unauthorized: unauthorized += 1
        }
    }
}
