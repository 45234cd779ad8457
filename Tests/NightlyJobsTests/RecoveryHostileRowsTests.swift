import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

/// Customer and cart rows a production order service may hold, met by the recovery pass.
@Suite("Recovery pass: hostile rows")
struct RecoveryHostileRowsTests {
    /// A customer address that is not a mailbox: the e-mail stage is suppressed and counted, no code is issued,
    /// nothing is recorded, and the stage stays unsent (a fixed address gets it on the next run). A valid
    /// internationalised address is sent to in its ASCII form.
    @Test(arguments: [
        ("ava@example.com\r\nBcc: victim@example.com", nil),
        ("ava@example.com\nBcc: victim@example.com", nil),
        ("", nil),
        ("   ", nil),
        ("ava@example.com, ben@example.com", nil),
        ("ava@example.com;ben@example.com", nil),
        ("Ava <ava@example.com>", nil),
        ("ava", nil),
        ("ava@localhost", nil),
        ("ava@münchen.de", "ava@xn--mnchen-3ya.de"),
        (" Ava.Doe@Example.COM ", "Ava.Doe@example.com"),
    ] as [(String, String?)])
    func anAddressThatIsNotAMailboxIsSuppressedWithoutACode(_ email: String, _ sentTo: String?) async throws {
        let shop = try Fixtures()
        let customer = try shop.customer()
        try shop.execute("UPDATE customers SET email = $2::text WHERE id = $1::uuid", [customer, email])
        let cart = try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-3 * hour))

        let report = try await runRecovery(shop.database, now: testNow)

        let outbox = try shop.connection.query(
            SQLStatement("SELECT recipient FROM checkout_nightly.notification_outbox", source: "test")
        ) { try $0.decode("recipient", as: String.self) }
        guard let sentTo else {
            #expect(report.counts["suppressed_invalid_address"] == 1)
            #expect(report.counts["sent_first_email"] == 0)
            #expect(report.counts["codes_issued"] == 0)
            #expect(try shop.stages(cart) == [])
            #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.discount_codes") == 0)
            #expect(outbox.isEmpty)
            try shop.execute("UPDATE customers SET email = 'ava@example.com' WHERE id = $1::uuid", [customer])
            let fixed = try await runRecovery(shop.database, now: testNow.addingTimeInterval(minute))
            #expect(fixed.counts["sent_first_email"] == 1, "the stage was left unsent")
            return
        }
        #expect(report.counts["suppressed_invalid_address"] == 0)
        #expect(report.counts["sent_first_email"] == 1)
        #expect(outbox == [sentTo])
    }

    /// Cart metadata that is not a JSON object survives abandonment under `original_metadata`, and the
    /// abandoned flag can be found.
    @Test(arguments: ["'\"vip\"'", "'7'", "'[\"a\"]'", "'null'"])
    func abandonmentKeepsMetadataOfAnyShape(_ stored: String) async throws {
        let shop = try Fixtures()
        let cart = try shop.cart(of: try shop.customer(), lastActivity: testNow.addingTimeInterval(-8 * day))
        try shop.execute("UPDATE cart_sessions SET metadata = \(stored) WHERE id = $1::uuid", [cart])

        let report = try await runRecovery(shop.database, now: testNow)

        #expect(report.counts["abandoned"] == 1)
        #expect(try shop.count(
            """
            SELECT count(*) AS n FROM cart_sessions
            WHERE id = $1::uuid AND metadata @> '{"abandoned_by_job": true}'
              AND metadata -> 'original_metadata' = \(stored)::jsonb
            """, [cart]) == 1)
    }
}
