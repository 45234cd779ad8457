import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("The recovery metric file exports the oldest undispatched notification's age and its threshold")
struct OutboxDrainingTests {
    /// The value of the unlabelled `family` in the recovery step's metric file under `output`.
    func gauge(_ family: String, output: URL) throws -> Double? {
        let text = try String(
            contentsOf: output.appendingPathComponent("metrics/checkout_nightly_recovery.prom"), encoding: .utf8)
        return text.split(separator: "\n").first { $0.hasPrefix(family + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
    }

    @Test func theAgeGrowsUntilDispatchAndIgnoresCancelledRows() async throws {
        let shop = try Fixtures()
        try shop.cart(of: try shop.customer(), lastActivity: testNow.addingTimeInterval(-3 * hour))
        let output = try makeTemporaryDirectory("outbox")
        let age = "checkout_nightly_recovery_outbox_oldest_pending_age_seconds"
        try await runRecovery(shop.database, now: testNow, output: output) { $0.staleness.outboxPendingAge = 5400 }
        #expect(try gauge(age, output: output) == 0, "measured as the message was recorded")
        #expect(try gauge("checkout_nightly_recovery_outbox_max_pending_age_seconds", output: output) == 5400)

        try await runRecovery(shop.database, now: testNow.addingTimeInterval(2 * hour), output: output)
        #expect(try gauge(age, output: output) == 7200)
        #expect(try gauge("checkout_nightly_recovery_outbox_pending", output: output) == 1)

        try shop.execute("UPDATE checkout_nightly.notification_outbox SET cancelled_at = $1::timestamptz", [testNow])
        try await runRecovery(shop.database, now: testNow.addingTimeInterval(3 * hour), output: output)
        #expect(try gauge(age, output: output) == 0, "a cancelled notification is not waiting for dispatch")
        #expect(try gauge("checkout_nightly_recovery_outbox_pending", output: output) == 0)
    }
}
