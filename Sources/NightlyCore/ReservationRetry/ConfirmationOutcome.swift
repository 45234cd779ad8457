import Foundation

/// What one answer of the warehouse service means for the failed confirmation it was about (DESIGN.md §2b).
public enum ConfirmationOutcome: Sendable, Equatable {
    /// 200 with `{"status": "confirmed"}`: confirmed now.
    case confirmed
    /// 409 with `{"status": "already_confirmed"}`: an earlier attempt got through.
    case alreadyConfirmed
    /// 404, 410 or 422 with their JSON error: never retried; a person must act.
    case permanent(ExhaustedReason)
    /// 429 or 503: retried later, not before `retryAfter` when the service gave one.
    case overloaded(retryAfter: Date?)
    /// Any other 5xx, a timeout, a refused or reset connection, or a body that is not the contract's JSON.
    case transient
    /// 401 or 403: the batch's token is wrong; the pass stops.
    case unauthorized

    /// Classifies `answer`, received at `now` (a `Retry-After` in seconds counts from it); a `Retry-After` further
    /// than `retryAfterLimit` after `now` is cut to that (`ReservationRetrySchedule.longestDelay`).
    public init(classifying answer: WarehouseAnswer, at now: Date, retryAfterLimit: TimeInterval) {
        guard case .response(let status, let retryAfter, let body) = answer else {
            self = .transient
            return
        }
        let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        func has(_ key: String, _ value: String) -> Bool { json?[key] as? String == value }
        switch status {
        case 200 where has("status", "confirmed") && json?["confirmed_at"] is String: self = .confirmed
        case 409 where has("status", "already_confirmed"): self = .alreadyConfirmed
        case 404 where has("error", ExhaustedReason.reservationNotFound.rawValue): self = .permanent(.reservationNotFound)
        case 410 where has("error", ExhaustedReason.reservationExpired.rawValue): self = .permanent(.reservationExpired)
        case 422 where has("error", ExhaustedReason.insufficientStock.rawValue): self = .permanent(.insufficientStock)
        case 401, 403: self = .unauthorized
        case 429, 503: self = .overloaded(retryAfter: retryAfter.flatMap { RetryAfter.parse($0, now: now, limit: retryAfterLimit) })
        default: self = .transient
        }
    }

    /// The outcome's name in the attempt ledger, logs and metrics.
    public var name: String {
        switch self {
        case .confirmed: "confirmed"
        case .alreadyConfirmed: "already_confirmed"
        case .permanent: "permanent"
        case .overloaded: "overloaded"
        case .transient: "transient"
        case .unauthorized: "unauthorized"
        }
    }

    /// Every outcome name an attempt can end with, for metrics that export each (zero included); `interrupted`
    /// is an attempt whose run was killed before its answer was recorded.
    public static let allNames = ["already_confirmed", "confirmed", "interrupted", "overloaded", "permanent", "transient", "unauthorized"]

    /// True when the reservation is confirmed and the error leaves the order's metadata.
    public var isConfirmed: Bool { self == .confirmed || self == .alreadyConfirmed }

    /// True for the failures the circuit breaker counts (the service is unwell, not the reservation).
    public var isTransientFailure: Bool {
        switch self {
        case .transient, .overloaded: true
        default: false
        }
    }
}

/// Why an error needs a person: the service's permanent answers, or no attempt left.
public enum ExhaustedReason: String, Sendable, Equatable, CaseIterable, Codable {
    /// 404: the warehouse does not know the reservation.
    case reservationNotFound = "reservation_not_found"
    /// 410: the reservation expired.
    case reservationExpired = "reservation_expired"
    /// 422: not enough stock to confirm it.
    case insufficientStock = "insufficient_stock"
    /// Every scheduled attempt failed transiently.
    case attemptsExhausted = "attempts_exhausted"
}
