/// A row of `overview_checkout_success_trend.sql`: one day (UTC) of the report window, 0 included.
public struct CheckoutSuccessDay: ReportRow {
    public static let file = "overview_checkout_success_trend"
    /// `2025-11-25`.
    public var day: String
    public var started: Int
    public var withOrder: Int

    public init(_ record: ReportRecord) throws {
        day = try record.text("day")
        started = try record.int("started")
        withOrder = try record.int("with_order")
    }

    /// Carts whose checkout started that day that have an order.
    public var successRate: Ratio { Ratio(withOrder, of: started) }
}
