/// A row of `reservation_retry_confirmed.sql`: errors the retry pass confirmed at one attempt.
public struct RetryConfirmedRow: ReportRow {
    public static let file = "reservation_retry_confirmed"
    public var attempt: Int
    /// Among the errors taken in over the last 24 hours and 30 days.
    public var confirmed24h: Int
    public var confirmed30d: Int

    public init(_ record: ReportRecord) throws {
        attempt = try record.int("attempt")
        confirmed24h = try record.int("confirmed_24h")
        confirmed30d = try record.int("confirmed_30d")
    }
}
