import Foundation

/// A row of `reconciliation_error_orders.sql`: one well-formed confirmation error of an order placed in the last
/// 7 days.
public struct ReservationErrorRow: ReportRow {
    public static let file = "reconciliation_error_orders"
    public var orderID: String
    /// Nil (with the amount and currency) where the order service left them NULL: the order still shows.
    public var orderNumber: String?
    /// Nil when the customer is unknown.
    public var customerEmail: String?
    public var totalAmount: Decimal?
    public var currency: String?
    public var createdAt: Date
    public var reason: String
    public var productID: String
    /// The name from the order's cart, nil when its items are gone.
    public var productName: String?
    public var sku: String?
    public var warehouseID: String
    public var message: String?

    public init(_ record: ReportRecord) throws {
        orderID = try record.text("order_id")
        orderNumber = try record.textIfPresent("order_number")
        customerEmail = try record.textIfPresent("customer_email")
        totalAmount = try record.decimalIfPresent("total_amount")
        currency = try record.textIfPresent("currency")
        createdAt = try record.date("created_at")
        reason = try record.text("reason")
        productID = try record.text("product_id")
        productName = try record.textIfPresent("product_name")
        sku = try record.textIfPresent("sku")
        warehouseID = try record.text("warehouse_id")
        message = try record.textIfPresent("message")
    }
}
