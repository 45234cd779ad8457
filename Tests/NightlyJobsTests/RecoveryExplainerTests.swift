import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("explain on a real PostgreSQL")
struct RecoveryExplainerTests {
    /// After a first e-mail and an order on another cart, explain names the order as the reason, lists the message
    /// with its masked recipient and open code, and cannot write.
    @Test func explainShowsTheReasonAndTheMessagesAndWritesNothing() async throws {
        let shop = try Fixtures()
        let customer = try shop.customer("Ava", push: true)
        let cart = try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-3 * hour))
        try await runRecovery(shop.database, now: testNow)
        try shop.order(number: "ORD-2", customer: customer, total: 10, createdAt: testNow.addingTimeInterval(hour))

        let settings = testSettings(
            database: shop.database, output: try makeTemporaryDirectory("explain"), now: testNow.addingTimeInterval(30 * hour))
        let explainer = try RecoveryExplainer(settings: settings)
        let explanation = try explainer.explain(cartID: cart)
        #expect(explanation.decision == "suppressed_ordered_since", "\(explanation.text)")
        #expect(explanation.rules.first { $0.name == "ordered_since" }?.value == "suppressed_ordered_since")
        #expect(explanation.messages.count == 1)
        #expect(explanation.messages.first?.stage == "first_email")
        #expect(explanation.messages.first?.codeState == "issued")
        #expect(explanation.messages.first?.recipient.hasPrefix("a***@example.com") == true)
        #expect(explanation.facts.contains { $0.name == "ordered since last activity" && $0.value == "yes" })

        let write = #expect(throws: PostgresError.self) { try explainer.connection.execute("DELETE FROM cart_items") }
        #expect(write?.sqlState == "25006")
        #expect(throws: (any Error).self) { try explainer.explain(cartID: UUID()) }
    }

    /// A cart the pass skips as malformed, or passes over because a time it compares is NULL: explain says so, and
    /// agrees with what a run does with it (sends nothing, counts `skipped_malformed` for an unreadable cart).
    @Test(arguments: [
        ("cart_items", "quantity", "skipped_malformed"), ("cart_sessions", "version", "skipped_malformed"),
        ("cart_sessions", "updated_at", "updated_at is NULL"), ("cart_sessions", "expires_at", "expires_at is NULL"),
    ])
    func aCartThePassCannotUseIsExplainedAsSuch(_ table: String, _ column: String, _ said: String) async throws {
        let shop = try Fixtures()
        let cart = try shop.cart(
            of: try shop.customer(), lastActivity: testNow.addingTimeInterval(-3 * hour), items: [CartItem("Mug"), CartItem("Plate")])
        try shop.execute("ALTER TABLE \(table) ALTER COLUMN \(column) DROP NOT NULL")
        try shop.execute(
            "UPDATE \(table) SET \(column) = NULL WHERE \(table == "cart_items" ? "product_name = 'Plate' AND cart_session_id" : "id") = $1::uuid",
            [cart])

        let settings = testSettings(database: shop.database, output: try makeTemporaryDirectory("explain"), now: testNow)
        let explanation = try RecoveryExplainer(settings: settings).explain(cartID: cart)
        #expect(explanation.decision.hasPrefix("not considered: "), "\(explanation.text)")
        #expect(explanation.decision.contains(said), "\(explanation.text)")

        let report = try await runRecovery(shop.database, now: testNow)
        #expect(report.counts["sent_first_email"] == 0)
        #expect(report.counts["skipped_malformed"] == (said == "skipped_malformed" ? 1 : 0))
    }
}
