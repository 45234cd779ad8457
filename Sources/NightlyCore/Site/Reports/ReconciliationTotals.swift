/// The one row of `reconciliation_totals.sql`: orders that recorded reservation confirmation errors.
public struct ReconciliationTotals: ReportRow {
    public static let file = "reconciliation_totals"
    /// All time.
    public var affectedOrders: Int
    public var affectedOrdersInWindow: Int
    public var affectedOrders7d: Int
    /// Orders whose error metadata is malformed, all time.
    public var malformedOrders: Int

    public init(_ record: ReportRecord) throws {
        affectedOrders = try record.int("affected_orders")
        affectedOrdersInWindow = try record.int("affected_orders_in_window")
        affectedOrders7d = try record.int("affected_orders_7d")
        malformedOrders = try record.int("malformed_orders")
    }
}
