/// A row of `analytics_recovery_return.sql`: one currency's return on recovery in the report window.
public struct RecoveryReturnRow: ReportRow {
    public static let file = "analytics_recovery_return"
    public var money: RecoveryReturn

    public init(_ record: ReportRecord) throws {
        money = RecoveryReturn(
            currency: try record.text("currency"), messagedCarts: try record.int("messaged_carts"),
            recoveredRevenue: try record.decimal("recovered_revenue"), discountGiven: try record.decimal("discount_given"),
            heldOutCarts: try record.int("held_out_carts"), heldOutRevenue: try record.decimal("held_out_revenue"))
    }
}
