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
        let shop = try Fixtures()
        let customer = try shop.customer()
        let activity = testNow.addingTimeInterval(-3 * hour)
        let cart = try shop.cart(of: customer, lastActivity: activity)
        let bought = try shop.cart(of: customer, lastActivity: activity.addingTimeInterval(-hour))
        try shop.order(number: "ORD-1", customer: customer, cart: bought, createdAt: activity.addingTimeInterval(offset))
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
        let shop = try Fixtures()
        let cart = try shop.cart(
            of: try shop.customer(), lastActivity: testNow.addingTimeInterval(-3 * hour),
            items: [CartItem("Mug", quantity: 2, price: 14.5), CartItem("Lamp", quantity: 1, price: 40)])
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
        let shop = try Fixtures()
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

    /// At 08:30 UTC with quiet hours 21:00-08:00: 03:30 in New York (quiet), 09:30 in Berlin, 08:30 in UTC. The
    /// New York customer's zone comes from `customers.time_zone` where the table has that column; without it,
    /// from the map (which names only DE here), so the same statement reads UTC for them and sends.
    @Test(arguments: [true, false])
    func quietHoursFollowTheCustomersZone(_ withColumn: Bool) async throws {
        let shop = try Fixtures()
        let now = testNow.addingTimeInterval(6 * hour + 30 * minute)
        #expect(Calendar(identifier: .gregorian).dateComponents(in: CustomerTimeZone.utc, from: now).hour == 8)
        let newYork = try shop.cart(of: try shop.customer("Ava", locale: "en-US"), lastActivity: now.addingTimeInterval(-3 * hour))
        let berlin = try shop.cart(of: try shop.customer("Jonas", locale: "de-DE"), lastActivity: now.addingTimeInterval(-3 * hour))
        if withColumn {
            try shop.execute("ALTER TABLE customers ADD COLUMN time_zone text")
            try shop.execute("UPDATE customers SET time_zone = 'America/New_York' WHERE first_name = 'Ava'")
        }
        let quiet: (inout Settings) -> Void = {
            $0.recovery.quietHours = QuietHours(start: 21 * 60, end: 8 * 60)
            $0.recovery.regionTimeZones = ["DE": TimeZone(identifier: "Europe/Berlin")!]
        }
        let report = try await runRecovery(shop.database, now: now, quiet)
        #expect(report.counts["waiting_quiet_hours"] == (withColumn ? 1 : 0), "\(report.counts)")
        #expect(try shop.stages(berlin) == [.firstEmail])
        #expect(try shop.stages(newYork) == (withColumn ? [] : [.firstEmail]))
        guard withColumn else { return }
        // 08:05 in New York: the window is over, the message goes out.
        let after = try await runRecovery(shop.database, now: now.addingTimeInterval(4 * hour + 35 * minute), quiet)
        #expect(after.counts["sent_first_email"] == 1, "\(after.counts)")
        #expect(try shop.stages(newYork) == [.firstEmail])
    }
}
