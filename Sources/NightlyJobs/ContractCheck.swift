import NightlyCore
import Postgres

/// Verifies that the order service's tables have every column the batch reads or writes (DESIGN.md §2).
struct ContractCheck {
    /// The contract's tables and columns.
    static let columns: [String: [String]] = [
        "customers": ["id", "email", "first_name", "locale", "marketing_opt_in", "unsubscribed_at",
                      "email_bounced_at", "push_enabled", "created_at"],
        "cart_sessions": ["id", "session_id", "customer_id", "status", "is_active", "order_id", "currency",
                          "metadata", "version", "created_at", "updated_at", "checkout_started_at", "expires_at"],
        "cart_items": ["id", "cart_session_id", "product_id", "sku", "product_name", "image_url", "quantity",
                       "unit_price", "in_stock", "stock_error", "version", "created_at", "updated_at"],
        "orders": ["id", "order_number", "customer_id", "cart_session_id", "status", "total_amount", "currency",
                   "discount_code", "metadata", "created_at"],
    ]

    let queries: QueryLibrary

    func verify(_ connection: Connection) throws {
        var present: [String: Set<String>] = [:]
        _ = try connection.query(
            try queries.statement("run/contract_columns.sql"), [Array(Self.columns.keys)]
        ) { row in
            present[try row.decode("table_name"), default: []].insert(try row.decode("column_name"))
        }
        for (table, columns) in Self.columns.sorted(by: { $0.key < $1.key }) {
            let missing = columns.filter { !(present[table]?.contains($0) ?? false) }
            guard missing.isEmpty else {
                throw NightlyError.schemaMismatch(
                    present[table] == nil
                        ? "the table \(table) does not exist in database \(connection.databaseName); run `checkout-nightly migrate` or point --database-url at the order service's database"
                        : "the table \(table) lacks the column(s) \(missing.joined(separator: ", ")) the batch needs (DESIGN.md §2); the order service's schema is older than this build expects")
            }
        }
    }
}
