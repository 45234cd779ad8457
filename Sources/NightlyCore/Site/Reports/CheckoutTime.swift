/// The one row of `analytics_checkout_time.sql`: seconds from checkout start to order, over the report window.
public struct CheckoutTime: ReportRow {
    public static let file = "analytics_checkout_time"
    public var orders: Int
    /// Nil when no order was counted.
    public var medianSeconds: Double?
    public var p90Seconds: Double?

    public init(_ record: ReportRecord) throws {
        orders = try record.int("orders")
        medianSeconds = try record.doubleIfPresent("median_seconds")
        p90Seconds = try record.doubleIfPresent("p90_seconds")
    }
}
