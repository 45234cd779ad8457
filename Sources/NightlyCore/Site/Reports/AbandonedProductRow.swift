/// A row of `analytics_abandoned_products.sql`: a product left in carts abandoned in the report window.
public struct AbandonedProductRow: ReportRow {
    public static let file = "analytics_abandoned_products"
    public var productID: String
    /// The most recent name seen for the product; nil when every item of it has none.
    public var productName: String?
    public var carts: Int
    public var units: Int

    public init(_ record: ReportRecord) throws {
        productID = try record.text("product_id")
        productName = try record.textIfPresent("product_name")
        carts = try record.int("carts")
        units = try record.int("units")
    }
}
