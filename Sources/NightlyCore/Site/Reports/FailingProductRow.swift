/// A row of `reconciliation_failing_products.sql`: a product among the ten with the most confirmation errors.
public struct FailingProductRow: ReportRow {
    public static let file = "reconciliation_failing_products"
    public var productID: String
    public var errors: Int
    public var orders: Int
    /// The SKUs and warehouses involved, comma-separated; nil when none was recorded.
    public var skus: String?
    public var warehouses: String?

    public init(_ record: ReportRecord) throws {
        productID = try record.text("product_id")
        errors = try record.int("errors")
        orders = try record.int("orders")
        skus = try record.textIfPresent("skus")
        warehouses = try record.textIfPresent("warehouses")
    }
}
