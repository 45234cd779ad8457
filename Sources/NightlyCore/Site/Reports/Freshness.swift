import Foundation

/// The one row of `freshness.sql`: the newest data at the run's clock, and the size of the order service's tables.
public struct Freshness: ReportRow {
    public static let file = "freshness"
    /// Nil when the table is empty.
    public var newestCartActivity: Date?
    public var newestOrder: Date?
    public var carts: Int
    public var orders: Int

    public init(_ record: ReportRecord) throws {
        newestCartActivity = try record.dateIfPresent("newest_cart_activity")
        newestOrder = try record.dateIfPresent("newest_order")
        carts = try record.int("carts")
        orders = try record.int("orders")
    }
}
