import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("Recovery pass: orders on any cart, stock, lateness, on a real PostgreSQL")
struct RecoveryTrustTests {
    /// (when the order on the customer's other cart was placed, relative to this cart's last activity; the count
    /// that goes up): only an order placed after the last activity stops the message.
    static let orderTimes: [(TimeInterval, String)] = [
        (-minute, "sent_first_email"), (0, "sent_first_email"), (minute, "suppressed_ordered_since"),
    ]

    @Test(arguments: orderTimes)
    func anOrderOnAnotherCartAfterTheLastActivityStopsTheMessage(_ offset: TimeInterval, _ counted: String) async throws {
        let shop = try Shop()
        let customer = try shop.customer()
        let activity = testNow.addingTimeInterval(-3 * hour)
        let cart = try shop.cart(of: customer, lastActivity: activity)
        let bought = try shop.cart(of: customer, lastActivity: activity.addingTimeInterval(-hour))
        try shop.execute(
            """
            INSERT INTO orders (id, order_number, customer_id, cart_session_id, status, total_amount, currency, created_at)
            VALUES (gen_random_uuid(), 'ORD-1', $1::uuid, $2::uuid, 'paid', 29, 'USD', $3::timestamptz)
            """, [customer, bought, activity.addingTimeInterval(offset)])
        let report = try await runRecovery(shop.database, now: testNow)
        #expect(report.counts[counted] == 1, "\(report.counts)")
        #expect(try shop.stages(cart) == (counted == "sent_first_email" ? [.firstEmail] : []))
        // The cart with the order is never a candidate.
        #expect(try shop.stages(bought) == [])
        #expect(report.counts["candidates"] == 1)
    }

    /// A cart whose every line failed its stock check gets no message and no code, and is looked at again: once
    /// a line is back in stock, the next run sends.
    @Test func aCartWithNothingInStockWaitsForStock() async throws {
        let shop = try Shop()
        let cart = try shop.cart(
            of: try shop.customer(), lastActivity: testNow.addingTimeInterval(-3 * hour),
            lines: [("Mug", 2, 14.5), ("Lamp", 1, 40)])
        try shop.execute("UPDATE cart_items SET in_stock = false WHERE product_name = 'Mug'")
        try shop.execute("UPDATE cart_items SET stock_error = 'insufficient_stock' WHERE product_name = 'Lamp'")
        let report = try await runRecovery(shop.database, now: testNow)
        #expect(report.counts["suppressed_out_of_stock"] == 1, "\(report.counts)")
        #expect(try shop.stages(cart) == [])
        #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.discount_codes") == 0)

        try shop.execute("UPDATE cart_items SET in_stock = true WHERE product_name = 'Mug'")
        let next = try await runRecovery(shop.database, now: testNow.addingTimeInterval(minute))
        #expect(next.counts["sent_first_email"] == 1, "\(next.counts)")
        #expect(try shop.stages(cart) == [.firstEmail])
        let text = try #require(try shop.connection.queryFirst(
            SQLStatement("SELECT text FROM checkout_nightly.notification_outbox", source: "test")
        ) { try $0.decode("text", as: String.self) })
        #expect(text.contains("Lamp | 1 | Currently unavailable"), "\(text)")
        #expect(text.contains("$29.00") && !text.contains("$69.00") && !text.contains("$40.00"), "\(text)")
    }

    /// The first switch-on over carts idle for days sends no stale first e-mail; each cart stays eligible for
    /// its later stage, which goes out when due.
    @Test func staleStagesAreSkippedAndLaterStagesStillGoOut() async throws {
        let shop = try Shop()
        let stale = try shop.cart(of: try shop.customer("Ann"), lastActivity: testNow.addingTimeInterval(-27 * hour))
        let fresh = try shop.cart(of: try shop.customer("Bo"), lastActivity: testNow.addingTimeInterval(-25 * hour))
        let report = try await runRecovery(shop.database, now: testNow)
        #expect(report.counts["skipped_too_late"] == 1, "\(report.counts)")
        #expect(report.counts["sent_first_email"] == 1)
        #expect(try shop.stages(stale) == [] && shop.stages(fresh) == [.firstEmail])

        try await runRecovery(shop.database, now: testNow.addingTimeInterval(45 * hour + minute))
        #expect(try shop.stages(stale) == [.secondEmail])
        #expect(try shop.stages(fresh) == [.firstEmail])
    }
}
