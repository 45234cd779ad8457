import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

/// Rows a production order service may hold that the demo schema never produces, met by the cleanup passes.
@Suite("Cleanup passes: hostile rows")
struct CleanupHostileRowsTests {
    /// Cart metadata of every JSON shape (and SQL NULL, where production allows it): the result is always an
    /// object carrying the flag, with a non-object value kept under `original_metadata`.
    @Test(arguments: [
        ("'{\"channel\": \"web\"}'", "{\"channel\": \"web\"}"),
        ("'\"vip\"'", "{\"original_metadata\": \"vip\"}"),
        ("'42'", "{\"original_metadata\": 42}"),
        ("'[1, \"two\"]'", "{\"original_metadata\": [1, \"two\"]}"),
        ("'null'", "{\"original_metadata\": null}"),
        ("NULL", "{}"),
    ])
    func metadataOfAnyShapeEndsAsAnObjectWithTheFlag(_ stored: String, _ kept: String) async throws {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let stuck = try rows.stuckCart()
        try rows.connection.execute("ALTER TABLE cart_sessions ALTER COLUMN metadata DROP NOT NULL")
        try rows.connection.execute(
            SQLStatement("UPDATE cart_sessions SET metadata = \(stored) WHERE id = $1::uuid", source: "test: metadata"),
            [stuck.cart])

        let report = try await runPass(.stuckCarts, try cleanupSettings(database, steps: [.stuckCarts]))

        #expect(report.counts["cleaned"] == 1)
        let after = try rows.connection.queryFirst(
            SQLStatement(
                """
                SELECT metadata - 'cleaned_by_job' - 'cleaned_by_job_at' = $2::jsonb AS kept,
                       metadata @> '{"cleaned_by_job": true}' AS flagged
                FROM cart_sessions WHERE id = $1::uuid
                """, source: "test: metadata after"),
            [stuck.cart, kept]
        ) { row in (kept: try row.decode("kept", as: Bool.self), flagged: try row.decode("flagged", as: Bool.self)) }
        #expect(after?.kept == true, "the earlier value is kept as \(kept)")
        #expect(after?.flagged == true, "the flag can be found by the next run and the reports")

        let second = try await runPass(.stuckCarts, try cleanupSettings(database, steps: [.stuckCarts]))
        #expect(second.counts["cleaned"] == 0, "a cleaned cart is recognised as cleaned")
    }

    /// Expired sessions that an order references through `orders.cart_session_id`, whatever their status, are
    /// kept and counted, the others deleted; the dry run says the same as the real run. A NULL status (production
    /// tables may allow it) is not a cart in checkout, even with an `order_id`: such a session is deleted like any
    /// other (it used to be neither deleted nor counted).
    @Test(arguments: ["active", "completed", "abandoned", nil] as [String?])
    func anExpiredSessionAnOrderReferencesIsNeverDeleted(_ status: String?) async throws {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let expired = rows.now.addingTimeInterval(-30 * 86400)
        let orderID = status == nil ? UUID() : nil
        let referenced = try rows.cart(status: status ?? "checkout", orderID: orderID, expiresAt: expired, items: .numbered(2))
        try rows.order(cart: referenced)
        let unreferenced = try rows.cart(status: status ?? "checkout", orderID: orderID, expiresAt: expired, items: .numbered(1))
        if status == nil {
            try rows.connection.execute("ALTER TABLE cart_sessions ALTER COLUMN status DROP NOT NULL")
            try rows.connection.execute("UPDATE cart_sessions SET status = NULL")
        }
        var settings = try cleanupSettings(database, steps: [.expiredSessions])
        settings.dryRun = true
        let dryRun = try await runPass(.expiredSessions, settings)
        settings.dryRun = false

        let report = try await runPass(.expiredSessions, settings)

        #expect(report.counts == ["deleted": 1, "items_deleted": 1, "left_for_stuck_cart_cleanup": 0, "kept_for_orders": 1])
        #expect(dryRun.counts == report.counts)
        #expect(try rows.count("SELECT count(*) AS n FROM cart_items WHERE cart_session_id = $1::uuid", [referenced]) == 2)
        #expect(try rows.count("SELECT count(*) AS n FROM cart_sessions WHERE id = $1::uuid", [unreferenced]) == 0)
    }
}

@Suite("A NULL where the stuck-cart pass needs a value")
struct StuckCartNullRowsTests {
    /// Three stuck carts and one more, idle longest, whose `column` is NULL (a production table that allows it);
    /// the stuck-cart pass run once over them.
    func runOverOneNull(_ column: String) async throws -> (broken: UUID, log: LogRecord, rows: Fixtures) {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let broken = try rows.stuckCart(idle: 7200)
        for _ in 0..<3 { try rows.stuckCart(idle: 3600) }
        try rows.connection.execute(SQLStatement("ALTER TABLE cart_sessions ALTER COLUMN \(column) DROP NOT NULL", source: "test"))
        try rows.connection.execute(
            SQLStatement("UPDATE cart_sessions SET \(column) = NULL WHERE id = $1::uuid", source: "test"), [broken.cart])
        let log = LogRecord()
        let report = try await runPass(.stuckCarts, try cleanupSettings(database, steps: [.stuckCarts]), log: log)
        #expect(report.outcome == .succeeded)
        #expect(report.counts["skipped_malformed"] == 1)
        #expect(report.counts["cleaned"] == 3, "the other carts are cleaned")
        return (broken.cart, log, rows)
    }

    /// A NULL version: that cart is skipped, counted and named; the others are cleaned, on this run and every run
    /// after.
    @Test func aCartWithoutAVersionIsSkippedAndTheOthersAreCleaned() async throws {
        let (broken, log, _) = try await runOverOneNull("version")
        #expect(log.values("cart_ids", of: "carts skipped: a column the pass needs is NULL or of the wrong type; the other carts go on")
            == [broken.uuidString.lowercased()])
    }

    /// A cart in checkout with an order but no `updated_at`: the pass cannot tell how long it has waited, so it
    /// leaves it alone, counts it among the malformed and says so.
    @Test func aCartWithoutAnActivityTimeIsCountedAndLeftAlone() async throws {
        let (broken, log, rows) = try await runOverOneNull("updated_at")
        #expect(log.values(
            "carts",
            of: "carts in checkout with an order but no updated_at skipped: the pass cannot tell how long they have waited; the other carts go on")
            == ["1"])
        #expect(try rows.state(broken)?.status == "checkout", "left alone")
    }
}
