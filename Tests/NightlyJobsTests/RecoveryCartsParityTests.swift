import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

/// Cart recovery reads the same facts two ways: every candidate at once, set-based (`candidates.sql` over the view
/// `recovery_carts_bulk`, migration 0012), and the carts of a send batch by key in their transaction (`reread.sql` over
/// `recovery_carts`, 0009). Over carts that cover every fact, both give the same row for every cart.
@Suite("Recovery: the bulk read and the one-cart read agree")
struct RecoveryCartsParityTests {
    /// The clock both reads are compared at: a day after the first run, so that the ledgers hold messages and
    /// held-out rows.
    static let clock = testNow.addingTimeInterval(25 * hour)

    @Test(arguments: [true, false])
    func bothViewsGiveTheSameRowForEveryCart(customersHaveTimeZones: Bool) async throws {
        let shop = try await shopCoveringEveryFact(customersHaveTimeZones: customersHaveTimeZones)
        let carts = try shop.connection.query(SQLStatement("SELECT id FROM cart_sessions", source: "test")) {
            try $0.decode("id", as: UUID.self)
        }
        let bulk = try shop.connection.query(
            SQLStatement("SELECT * FROM checkout_nightly.recovery_carts_bulk", source: "test"), [], Self.columns)
        let oneCart = try carts.compactMap { cart in
            try shop.connection.queryFirst(
                SQLStatement("SELECT * FROM checkout_nightly.recovery_carts WHERE id = $1::uuid", source: "test"), [cart],
                Self.columns)
        }
        let differences = Self.differences(bulk: bulk, oneCart: oneCart)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        try Self.expectEveryFactCovered(bulk, customersHaveTimeZones: customersHaveTimeZones)
    }

    /// The statements the pass runs: the bulk read (in its transaction, after its settings) returns exactly the
    /// carts the re-read finds at the same clock, with the same values; without quiet hours, it leaves out only the
    /// time zones.
    @Test(arguments: [true, false])
    func theBulkReadReturnsExactlyWhatTheRereadFindsForEachCart(quietHours: Bool) async throws {
        let shop = try await shopCoveringEveryFact(customersHaveTimeZones: true)
        let queries = QueryLibrary(directory: Repository.queries)
        let minimumIdle = RecoverySettings().firstEmailAfter
        let candidates = try shop.connection.transaction(readOnly: true, maxAttempts: 1) { connection in
            try connection.execute(try queries.statement("recovery/candidates_settings.sql"))
            return try connection.query(
                try queries.statement("recovery/candidates.sql"), [Self.clock, minimumIdle, quietHours], Self.columns)
        }
        let reread = try queries.statement("recovery/reread.sql").prepared
        let carts = try shop.connection.query(SQLStatement("SELECT id FROM cart_sessions", source: "test")) {
            try $0.decode("id", as: UUID.self)
        }
        let rereadRows = try carts.compactMap { cart in
            try shop.connection.queryFirst(reread, [Self.clock, minimumIdle, [cart]], Self.columns)
        }
        #expect(candidates.count >= 8, "the shop has candidates of every kind")
        #expect(rereadRows.contains { ($0["time_zone"] ?? nil) != nil }, "the re-read reads time zones")
        if !quietHours {
            #expect(candidates.allSatisfy { ($0["time_zone"] ?? nil) == nil }, "no time zones without quiet hours")
        }
        let expected = quietHours ? rereadRows : rereadRows.map { $0.merging(["time_zone": nil]) { _, new in new } }
        let differences = Self.differences(bulk: candidates, oneCart: expected)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        let order = candidates.map { [$0["updated_at"] ?? nil, $0["id"] ?? nil] }
        #expect(order == order.sorted { ($0[0] ?? "", $0[1] ?? "") < ($1[0] ?? "", $1[1] ?? "") }, "oldest activity first")
    }

    /// Every column of a row as PostgreSQL's text (nil for NULL).
    static func columns(_ row: Row) -> [String: String?] {
        Dictionary(uniqueKeysWithValues: row.columnNames.enumerated().map { ($1, row.text(at: $0)) })
    }

    /// Each cart one read returns and the other does not, and each column whose values differ, as a line.
    static func differences(bulk: [[String: String?]], oneCart: [[String: String?]]) -> [String] {
        func byCart(_ rows: [[String: String?]]) -> [String: [String: String?]] {
            Dictionary(uniqueKeysWithValues: rows.map { (($0["id"] ?? nil) ?? "", $0) })
        }
        let (bulk, oneCart) = (byCart(bulk), byCart(oneCart))
        return Set(bulk.keys).union(oneCart.keys).sorted().flatMap { cart -> [String] in
            guard let bulkRow = bulk[cart], let oneCartRow = oneCart[cart] else {
                return ["cart \(cart): only the \(bulk[cart] == nil ? "one-cart" : "bulk") read returns it"]
            }
            return Set(bulkRow.keys).union(oneCartRow.keys).sorted().compactMap { column in
                let (a, b) = (bulkRow[column] ?? nil, oneCartRow[column] ?? nil)
                return a == b ? nil : "cart \(cart) \(column): bulk \(a ?? "NULL"), one-cart \(b ?? "NULL")"
            }
        }
    }

    /// The comparison means something only if the rows hold every kind of value.
    static func expectEveryFactCovered(_ rows: [[String: String?]], customersHaveTimeZones: Bool) throws {
        func some(_ column: String, _ matches: (String?) -> Bool) -> Bool { rows.contains { matches($0[column] ?? nil) } }
        #expect(some("customer_id") { $0 == nil } && some("customer_id") { $0 != nil }, "guest and customer carts")
        #expect(some("sent_stages") { $0 == "{first_email,push}" }, "a cart with a message and a held-out row")
        #expect(some("sent_stages") { $0 == "{}" })
        #expect(some("last_message_at") { $0 != nil } && some("last_message_at") { $0 == nil })
        #expect(some("ordered_since") { $0 == "t" } && some("ordered_since") { $0 == "f" })
        #expect(some("pieces") { $0 == "0" } && some("value") { $0 == "0" }, "a cart with every line unavailable")
        #expect(some("first_name") { $0 == nil } && some("marketing_opt_in") { $0 == nil }, "NULL customer columns")
        #expect(some("unsubscribed") { $0 == "t" } && some("bounced") { $0 == "t" })
        #expect(some("time_zone") { $0 != nil } == customersHaveTimeZones)
        #expect(some("updated_at") { $0 == nil }, "a cart without a last activity")
    }

    /// A shop with carts covering every fact the views read, and ledgers written by the pass itself: a run at
    /// `testNow` messages the carts then due; a run a day later (`clock`) with everyone held out records held-out
    /// rows, one of them for a cart that already had its first e-mail.
    func shopCoveringEveryFact(customersHaveTimeZones: Bool) async throws -> Fixtures {
        let shop = try Fixtures()
        if customersHaveTimeZones {
            try shop.execute("ALTER TABLE customers ADD COLUMN time_zone text")
        }
        // Columns a production order service may leave nullable (DESIGN.md §2).
        for (table, column) in [("customers", "first_name"), ("customers", "locale"), ("customers", "marketing_opt_in"),
                                ("customers", "push_enabled"), ("cart_items", "quantity"), ("cart_items", "unit_price"),
                                ("cart_items", "in_stock"), ("cart_sessions", "updated_at"), ("orders", "created_at")] {
            try shop.execute("ALTER TABLE \(table) ALTER COLUMN \(column) DROP NOT NULL")
        }
        let ago = { (hours: Double) in testNow.addingTimeInterval(-hours * hour) }

        let ava = try shop.customer("Ava", push: true)
        if customersHaveTimeZones {
            try shop.execute("UPDATE customers SET time_zone = 'Europe/Berlin' WHERE id = $1::uuid", [ava])
        }
        try shop.cart(of: ava, lastActivity: ago(3), items: [
            CartItem("Mug"), CartItem("Lamp", inStock: false), CartItem("Vase", stockError: "warehouse says no"),
            CartItem("Bowl", stockError: "   "),
        ])
        try shop.cart(of: ava, lastActivity: ago(1), items: [CartItem("Plate", quantity: 3, price: 7.25)])
        try shop.cart(lastActivity: ago(3))
        try shop.cart(of: try shop.customer("Ben", optIn: false, unsubscribed: true, bounced: true), lastActivity: ago(4))
        let cleo = try shop.customer("Cleo")
        try shop.execute(
            "UPDATE customers SET first_name = NULL, locale = NULL, marketing_opt_in = NULL, push_enabled = NULL WHERE id = $1::uuid",
            [cleo])
        let cleoCart = try shop.cart(of: cleo, lastActivity: ago(5), items: [CartItem("Cup"), CartItem("Jug"), CartItem("Pan")])
        try shop.execute(
            """
            UPDATE cart_items SET quantity = CASE product_name WHEN 'Cup' THEN NULL ELSE quantity END,
                                  unit_price = CASE product_name WHEN 'Jug' THEN NULL ELSE unit_price END,
                                  in_stock = CASE product_name WHEN 'Pan' THEN NULL ELSE in_stock END
            WHERE cart_session_id = $1::uuid
            """, [cleoCart])
        let dan = try shop.customer("Dan")
        try shop.cart(of: dan, lastActivity: ago(6))
        try shop.cart(of: dan, lastActivity: ago(0.5))
        try shop.order(customer: dan, createdAt: ago(2))
        try shop.order(customer: dan, createdAt: ago(1))
        try shop.execute("UPDATE orders SET created_at = NULL WHERE customer_id = $1::uuid AND created_at = $2::timestamptz", [dan, ago(1)])
        try shop.cart(of: UUID(), lastActivity: ago(3))
        try shop.cart(of: try shop.customer("Eve"), lastActivity: ago(3), items: [CartItem(inStock: false), CartItem(stockError: "gone")])
        let late = try shop.customer("Finn", push: true)
        try shop.cart(of: late, lastActivity: ago(0.5))

        // Carts neither read returns.
        let ordered = try shop.cart(of: try shop.customer("Gus"), lastActivity: ago(3))
        try shop.order(customer: try shop.customer(), cart: ordered, createdAt: ago(2))
        try shop.cart(of: try shop.customer("Hal"), status: "checkout", orderID: UUID(), lastActivity: ago(3))
        let withOrderID = try shop.cart(of: try shop.customer("Ida"), lastActivity: ago(3))
        try shop.execute("UPDATE cart_sessions SET order_id = gen_random_uuid() WHERE id = $1::uuid", [withOrderID])
        let inactive = try shop.cart(of: try shop.customer("Jo"), lastActivity: ago(3))
        try shop.execute("UPDATE cart_sessions SET is_active = false WHERE id = $1::uuid", [inactive])
        try shop.cart(of: try shop.customer("Kai"), status: "abandoned", lastActivity: ago(3))
        try shop.cart(of: try shop.customer("Lu"), lastActivity: ago(3), items: [])
        // Carts the views return but the run's filters leave out: expired, not idle long enough, no last activity.
        try shop.cart(of: try shop.customer("Mo"), lastActivity: ago(3), expiresAt: ago(-20))
        try shop.cart(of: try shop.customer("Ned"), lastActivity: Self.clock.addingTimeInterval(-hour))
        let undated = try shop.cart(of: try shop.customer("Ola"), lastActivity: ago(3))
        try shop.execute("UPDATE cart_sessions SET updated_at = NULL WHERE id = $1::uuid", [undated])

        try await runRecovery(shop.database, now: testNow)
        try await runRecovery(shop.database, now: Self.clock, holdingOut(100))
        return shop
    }
}
