/// The one row of `reservation_retry_totals.sql`: the retry pass at a glance.
public struct RetryTotals: ReportRow {
    public static let file = "reservation_retry_totals"
    /// Errors the pass took in over the last 24 hours and 30 days, and how many of those it confirmed.
    public var errors24h: Int
    public var errors30d: Int
    public var confirmed24h: Int
    public var confirmed30d: Int
    /// Errors waiting for their next attempt, and for a person, now.
    public var pending: Int
    public var exhausted: Int

    public init(_ record: ReportRecord) throws {
        errors24h = try record.int("errors_24h")
        errors30d = try record.int("errors_30d")
        confirmed24h = try record.int("confirmed_24h")
        confirmed30d = try record.int("confirmed_30d")
        pending = try record.int("pending")
        exhausted = try record.int("exhausted")
    }

    /// The errors taken in over the last 24 hours and 30 days that a retry confirmed.
    public var confirmedShare24h: Ratio { Ratio(confirmed24h, of: errors24h) }
    public var confirmedShare30d: Ratio { Ratio(confirmed30d, of: errors30d) }
}
