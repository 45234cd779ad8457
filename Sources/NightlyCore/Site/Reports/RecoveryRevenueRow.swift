import Foundation

/// A row of `analytics_recovery_revenue.sql`: converted recovery messages of one stage, in one currency.
public struct RecoveryRevenueRow: ReportRow {
    public static let file = "analytics_recovery_revenue"
    public var stage: String
    public var currency: String
    public var orders: Int
    public var revenue: Decimal
    public var discount: Decimal

    public init(_ record: ReportRecord) throws {
        stage = try record.text("stage")
        currency = try record.text("currency")
        orders = try record.int("orders")
        revenue = try record.decimal("revenue")
        discount = try record.decimal("discount")
    }
}
