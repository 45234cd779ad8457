import Foundation

/// A row of `reservation_retry_exhausted.sql`: an error the retry pass gave up on, which waits for a person.
public struct RetryExhaustedRow: ReportRow {
    public static let file = "reservation_retry_exhausted"
    public var orderID: String
    /// Nil when the order is gone.
    public var orderNumber: String?
    public var customerEmail: String?
    public var reservationID: String
    public var sku: String?
    public var warehouseID: String?
    public var reason: String
    public var lastAnswer: String?
    public var attempts: Int
    public var exhaustedAt: Date

    public init(_ record: ReportRecord) throws {
        orderID = try record.text("order_id")
        orderNumber = try record.textIfPresent("order_number")
        customerEmail = try record.textIfPresent("customer_email")
        reservationID = try record.text("reservation_id")
        sku = try record.textIfPresent("sku")
        warehouseID = try record.textIfPresent("warehouse_id")
        reason = try record.text("reason")
        lastAnswer = try record.textIfPresent("last_answer")
        attempts = try record.int("attempts")
        exhaustedAt = try record.date("exhausted_at")
    }
}
