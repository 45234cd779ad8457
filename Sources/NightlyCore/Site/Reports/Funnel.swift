/// The one row of `analytics_funnel.sql`: carts created in the report window at each step of the funnel.
public struct Funnel: ReportRow {
    public static let file = "analytics_funnel"
    public var carts: Int
    public var withItems: Int
    public var checkoutStarted: Int
    public var orderPlaced: Int

    public init(_ record: ReportRecord) throws {
        carts = try record.int("carts")
        withItems = try record.int("with_items")
        checkoutStarted = try record.int("checkout_started")
        orderPlaced = try record.int("order_placed")
    }
}
