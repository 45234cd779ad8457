/// A row of `reconciliation_error_trend.sql`: one day (UTC) of the report window, 0 included.
public struct ReservationErrorDay: ReportRow {
    public static let file = "reconciliation_error_trend"
    /// `2025-11-25`.
    public var day: String
    /// Orders that recorded confirmation errors of any shape.
    public var orders: Int
    /// The well-formed errors they hold.
    public var errors: Int

    public init(_ record: ReportRecord) throws {
        day = try record.text("day")
        orders = try record.int("orders")
        errors = try record.int("errors")
    }
}
