import Foundation
import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("Seed data")
struct SeedTests {
    static let tables = ["customers", "cart_sessions", "cart_items", "orders"]

    @Test func sameSeedSameDataOtherSeedOtherData() throws {
        let first = try TestDatabase.seeded(carts: 600, now: testNow, randomSeed: 7)
        let second = try TestDatabase.seeded(carts: 600, now: testNow, randomSeed: 7)
        let other = try TestDatabase.seeded(carts: 600, now: testNow, randomSeed: 8)
        #expect(try first.checksum(of: Self.tables) == second.checksum(of: Self.tables))
        #expect(try first.checksum(of: Self.tables) != other.checksum(of: Self.tables))
        // The holdout key too: the same seed holds out the same customers.
        let key = ["(SELECT key FROM checkout_nightly.recovery_holdout_key)"]
        #expect(try first.checksum(of: key) == second.checksum(of: key))
        #expect(try first.checksum(of: key) != other.checksum(of: key))
    }

    @Test func refusesTablesThatHoldData() throws {
        let database = try TestDatabase.seeded(carts: 50, now: testNow)
        let error = #expect(throws: NightlyError.self) {
            try Seeder(queries: QueryLibrary(directory: Repository.queries)).seed(
                try database.connect(), carts: 50, now: testNow, randomSeed: 1)
        }
        #expect(error?.description.contains("empty tables only") == true)
    }

    /// Every kind of row the plan's problems need, counted independently of the seed's own SQL.
    @Test(arguments: [
        ("active cart idle under 2 h", "SELECT count(*) FROM cart_sessions WHERE status = 'active' AND updated_at > $1::timestamptz - interval '2 hours'"),
        ("active cart idle 2–24 h", "SELECT count(*) FROM cart_sessions WHERE status = 'active' AND updated_at BETWEEN $1::timestamptz - interval '24 hours' AND $1::timestamptz - interval '2 hours'"),
        ("active cart idle 24–72 h", "SELECT count(*) FROM cart_sessions WHERE status = 'active' AND updated_at BETWEEN $1::timestamptz - interval '72 hours' AND $1::timestamptz - interval '24 hours'"),
        ("active cart idle 3–7 days", "SELECT count(*) FROM cart_sessions WHERE status = 'active' AND updated_at BETWEEN $1::timestamptz - interval '7 days' AND $1::timestamptz - interval '72 hours'"),
        ("active cart idle over 7 days", "SELECT count(*) FROM cart_sessions WHERE status = 'active' AND updated_at < $1::timestamptz - interval '7 days' AND expires_at > $1::timestamptz"),
        ("cart stuck in checkout with its order", "SELECT count(*) FROM cart_sessions c WHERE c.status = 'checkout' AND EXISTS (SELECT 1 FROM orders o WHERE o.id = c.order_id) AND $1::timestamptz IS NOT NULL"),
        ("cart stuck in checkout, order missing", "SELECT count(*) FROM cart_sessions c WHERE c.status = 'checkout' AND c.order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = c.order_id) AND $1::timestamptz IS NOT NULL"),
        ("session expired over 7 days ago", "SELECT count(*) FROM cart_sessions WHERE expires_at < $1::timestamptz - interval '7 days'"),
        ("session expired under 7 days ago", "SELECT count(*) FROM cart_sessions WHERE expires_at BETWEEN $1::timestamptz - interval '7 days' AND $1::timestamptz"),
        ("expired cart still in checkout with an order", "SELECT count(*) FROM cart_sessions WHERE expires_at < $1::timestamptz AND status = 'checkout' AND order_id IS NOT NULL"),
        ("order with reservation errors", "SELECT count(*) FROM orders WHERE jsonb_typeof(metadata -> 'reservation_confirmation_errors') = 'array' AND metadata -> 'reservation_confirmation_errors' -> 0 ? 'reason' AND $1::timestamptz IS NOT NULL"),
        ("order with malformed reservation metadata", "SELECT count(*) FROM orders WHERE metadata ? 'reservation_confirmation_errors' AND NOT (jsonb_typeof(metadata -> 'reservation_confirmation_errors') = 'array' AND metadata -> 'reservation_confirmation_errors' -> 0 ? 'reason') AND $1::timestamptz IS NOT NULL"),
        ("order without reservation errors", "SELECT count(*) FROM orders WHERE NOT metadata ? 'reservation_confirmation_errors' AND $1::timestamptz IS NOT NULL"),
        ("customer with consent", "SELECT count(*) FROM customers WHERE marketing_opt_in AND unsubscribed_at IS NULL AND email_bounced_at IS NULL AND $1::timestamptz IS NOT NULL"),
        ("customer without consent", "SELECT count(*) FROM customers WHERE NOT marketing_opt_in AND $1::timestamptz IS NOT NULL"),
        ("unsubscribed customer", "SELECT count(*) FROM customers WHERE unsubscribed_at < $1::timestamptz"),
        ("bounced customer", "SELECT count(*) FROM customers WHERE email_bounced_at < $1::timestamptz"),
        ("guest cart", "SELECT count(*) FROM cart_sessions WHERE customer_id IS NULL AND $1::timestamptz IS NOT NULL"),
        ("USD cart", "SELECT count(*) FROM cart_sessions WHERE currency = 'USD' AND $1::timestamptz IS NOT NULL"),
        ("EUR cart", "SELECT count(*) FROM cart_sessions WHERE currency = 'EUR' AND $1::timestamptz IS NOT NULL"),
        ("JPY cart with whole prices", "SELECT count(*) FROM cart_items i JOIN cart_sessions c ON c.id = i.cart_session_id WHERE c.currency = 'JPY' AND i.unit_price = trunc(i.unit_price) AND $1::timestamptz IS NOT NULL"),
        ("en-US customer", "SELECT count(*) FROM customers WHERE locale = 'en-US' AND $1::timestamptz IS NOT NULL"),
        ("de-DE customer", "SELECT count(*) FROM customers WHERE locale = 'de-DE' AND $1::timestamptz IS NOT NULL"),
        ("ja-JP customer", "SELECT count(*) FROM customers WHERE locale = 'ja-JP' AND $1::timestamptz IS NOT NULL"),
        ("product name with HTML characters", "SELECT count(*) FROM cart_items WHERE product_name ~ '[<>&]' AND $1::timestamptz IS NOT NULL"),
        ("product name with quotes", "SELECT count(*) FROM cart_items WHERE product_name ~ '[\"'']' AND $1::timestamptz IS NOT NULL"),
        ("product name with emoji", "SELECT count(*) FROM cart_items WHERE product_name ~ '[\\U0001F300-\\U0001FAFF]' AND $1::timestamptz IS NOT NULL"),
        ("active cart without items", "SELECT count(*) FROM cart_sessions c WHERE status = 'active' AND NOT EXISTS (SELECT 1 FROM cart_items i WHERE i.cart_session_id = c.id) AND $1::timestamptz IS NOT NULL"),
        ("item whose stock check failed", "SELECT count(*) FROM cart_items WHERE NOT in_stock AND stock_error IS NOT NULL AND $1::timestamptz IS NOT NULL"),
        ("active cart with no line in stock", "SELECT count(*) FROM cart_sessions c WHERE status = 'active' AND EXISTS (SELECT 1 FROM cart_items i WHERE i.cart_session_id = c.id) AND NOT EXISTS (SELECT 1 FROM cart_items i WHERE i.cart_session_id = c.id AND i.in_stock) AND $1::timestamptz IS NOT NULL"),
        ("customer with a time zone", "SELECT count(*) FROM customers WHERE time_zone IS NOT NULL AND $1::timestamptz IS NOT NULL"),
        ("customer without a time zone", "SELECT count(*) FROM customers WHERE time_zone IS NULL AND $1::timestamptz IS NOT NULL"),
        ("time zones, at least 6", "SELECT count(DISTINCT time_zone) - 5 FROM customers WHERE $1::timestamptz IS NOT NULL"),
        ("active cart whose customer ordered after its last activity without it", "SELECT count(*) FROM cart_sessions c WHERE status = 'active' AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.created_at > c.updated_at AND o.cart_session_id IS DISTINCT FROM c.id) AND updated_at < $1::timestamptz"),
    ])
    func everyCategoryIsPresent(_ category: String, _ sql: String) throws {
        let connection = try Self.shared.connect()
        let count = try connection.queryFirst(SQLStatement(sql, source: category), [testNow]) {
            try $0.decode(at: 0, as: Int.self)
        }
        #expect((count ?? 0) > 0, "no \(category) in the seed data")
    }

    /// One seeded database shared by the category checks (created once, read only).
    static let shared: TestDatabase = try! TestDatabase.seeded(carts: 3000, now: testNow)
}
