import Foundation

/// A row of `reconciliation_malformed_orders.sql`: one problem of an order's malformed reservation error metadata.
public struct MalformedOrderRow: ReportRow {
    public static let file = "reconciliation_malformed_orders"
    public var orderID: String
    /// Nil where the order service left it NULL: the order still shows, by its id.
    public var orderNumber: String?
    public var createdAt: Date
    public var problem: String
    /// The offending value, cut to 200 characters.
    public var rawValue: String

    public init(_ record: ReportRecord) throws {
        orderID = try record.text("order_id")
        orderNumber = try record.textIfPresent("order_number")
        createdAt = try record.date("created_at")
        problem = try record.text("problem")
        rawValue = try record.text("raw_value")
    }
}
