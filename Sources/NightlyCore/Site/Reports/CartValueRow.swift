import Foundation

/// A row of `analytics_cart_value.sql`: carts with items created in the report window, in one currency.
public struct CartValueRow: ReportRow {
    public static let file = "analytics_cart_value"
    public var currency: String
    public var carts: Int
    public var averageValue: Decimal
    public var totalValue: Decimal

    public init(_ record: ReportRecord) throws {
        currency = try record.text("currency")
        carts = try record.int("carts")
        averageValue = try record.decimal("average_value")
        totalValue = try record.decimal("total_value")
    }
}
