import Foundation

/// A row of `reservation_retry_pending.sql`: errors waiting for the same next attempt.
public struct RetryPendingRow: ReportRow {
    public static let file = "reservation_retry_pending"
    public var attempt: Int
    public var errors: Int
    public var firstDue: Date
    public var lastDue: Date

    public init(_ record: ReportRecord) throws {
        attempt = try record.int("attempt")
        errors = try record.int("errors")
        firstDue = try record.date("first_due")
        lastDue = try record.date("last_due")
    }
}
