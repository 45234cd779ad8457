import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("Self-checks: each rule broken on purpose is counted, exported and alerted on")
struct SelfCheckTests {
    /// A shop where the recovery pass sent one first e-mail to a customer who has a second, newer cart.
    struct Scene {
        let shop: Fixtures
        let customer: UUID
        let cart: UUID
        let otherCart: UUID
        let message: UUID
        let sentAt: Date

        init() async throws {
            shop = try Fixtures()
            customer = try shop.customer()
            cart = try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-5 * hour))
            otherCart = try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-hour))
            try await runRecovery(shop.database, now: testNow)
            (message, sentAt) = try #require(try shop.connection.queryFirst(
                "SELECT id, created_at FROM checkout_nightly.recovery_messages WHERE cart_id = $1::uuid", [cart]
            ) { (try $0.decode("id", as: UUID.self), try $0.decode("created_at", as: Date.self)) })
        }

        /// Records a copy of the message for `cart`, `offset` seconds later, with its outbox row, as a faulty sender
        /// would.
        func copyMessage(to cart: UUID, after offset: TimeInterval) throws {
            let id = UUID()
            try shop.execute(
                """
                INSERT INTO checkout_nightly.recovery_messages
                    (id, cart_id, customer_id, stage, channel, recipient, locale, subject, code, token_hash,
                     unsubscribe_token_hash, cart_activity_at, created_at, expires_at, run_id)
                SELECT $1::uuid, $2::uuid, customer_id, stage, channel, recipient, locale, subject, code,
                       md5($1::text) || md5($2::text), md5($2::text) || md5($1::text), cart_activity_at,
                       created_at + make_interval(secs => $3::double precision),
                       expires_at + make_interval(secs => $3::double precision), run_id
                FROM checkout_nightly.recovery_messages WHERE id = $4::uuid
                """, [id, cart, offset, message])
            try shop.execute(
                """
                INSERT INTO checkout_nightly.notification_outbox (message_id, channel, recipient, subject, html, text, headers, created_at)
                SELECT $1::uuid, channel, recipient, subject, html, text, headers, created_at
                FROM checkout_nightly.notification_outbox WHERE message_id = $2::uuid
                """, [id, message])
        }

        /// An order of `customer` (the message's customer when nil) for `cart`, placed at `placedAt`, using `code`.
        func order(cart: UUID?, customer: UUID? = nil, placedAt: Date, code: String? = nil) throws {
            try shop.order(customer: customer ?? self.customer, cart: cart, total: 20, discountCode: code, createdAt: placedAt)
        }

        func code() throws -> String {
            try #require(try shop.connection.queryFirst(
                "SELECT code FROM checkout_nightly.recovery_messages WHERE id = $1::uuid", [message]
            ) { try $0.decode("code", as: String.self) })
        }

        /// Breaks `check`'s rule once: one offending row.
        func breakRule(_ check: SelfCheck) throws {
            switch check {
            case .messageAfterOrder:
                try order(cart: cart, placedAt: sentAt.addingTimeInterval(-60))
            case .duplicateStageMessage:
                try shop.execute("ALTER TABLE checkout_nightly.recovery_messages DROP CONSTRAINT recovery_messages_one_per_cart_stage")
                try copyMessage(to: cart, after: 0)
            case .customerCooldown:
                try copyMessage(to: otherCart, after: hour)
            case .codeMisuse:
                try order(cart: nil, placedAt: testNow.addingTimeInterval(hour), code: try code())
                try order(cart: nil, customer: try shop.customer("Mallory"), placedAt: testNow.addingTimeInterval(2 * hour), code: try code())
            case .outboxLedgerMismatch:
                try shop.execute("DELETE FROM checkout_nightly.notification_outbox WHERE message_id = $1::uuid", [message])
            case .messageToUnreachableCustomer:
                try shop.execute(
                    "UPDATE customers SET unsubscribed_at = $2::timestamptz WHERE id = $1::uuid", [customer, sentAt.addingTimeInterval(-hour)])
            }
        }

        func read() async throws -> SelfCheckResults {
            try await SelfCheckReader.read(
                [shop.connection], queries: QueryLibrary(directory: Repository.queries), settings: Settings(), now: testNow)
        }
    }

    @Test(arguments: SelfCheck.allCases)
    func aBrokenRuleIsCountedExportedAndAlerted(_ check: SelfCheck) async throws {
        let scene = try await Scene()
        let before = try await scene.read()
        #expect(SelfCheck.allCases.allSatisfy { before.violations($0) == 0 }, "the recovery pass keeps every rule: \(before.findings)")

        try scene.breakRule(check)
        let after = try await scene.read()
        let expected = 1
        #expect(after.violations(check) == expected)
        let rows = try #require(after.findings[check])
        #expect(!rows.columns.isEmpty && rows.rows.allSatisfy { $0.count == rows.columns.count })

        let exposition = MetricExposition.render(after.metricFamilies)
        let series = "checkout_nightly_selfcheck_violations{check=\"\(check.rawValue)\"}"
        #expect(exposition.contains("\(series) \(expected)\n"), "\(exposition)")
        try PromtoolAlert.expectFiring(series: series, value: expected, check: check)

        let summary = after.summary.bodyRows.first { $0.cells.first?.text == check.rawValue }
        let count = try #require(summary?.cells.last)
        #expect(count.tone == "bad" && count.links.map(\.href) == [SelfCheckResults.csvPath(check)])
    }
}

/// Runs `promtool test rules` on deploy/prometheus/alerts.yml with one generated case: the gauge at `value` from
/// the start makes CheckoutNightlySelfCheckFailed fire for `check`.
enum PromtoolAlert {
    static func expectFiring(series: String, value: Int, check: SelfCheck) throws {
        let promtool = try requireTool("promtool")
        let folder = try makeTemporaryDirectory("promtool")
        let rules = Repository.root.appendingPathComponent("deploy/prometheus/alerts.yml").path
        let runbook = "https://github.com/example/checkout-nightly/blob/main/docs/runbook.md#a-self-check-found-violations"
        let test = """
            rule_files:
              - \(rules)
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: '\(series)'
                    values: '\(value)x20'
                alert_rule_test:
                  - eval_time: 10m
                    alertname: CheckoutNightlySelfCheckFailed
                    exp_alerts:
                      - exp_labels: {severity: page, check: \(check.rawValue)}
                        exp_annotations:
                          summary: "Self-check \(check.rawValue) found \(value) rows that break a send rule"
                          description: "The batch's self-check \(check.rawValue) counts rows that must not exist. The overview's Self-checks table links them as CSV."
                          runbook_url: "\(runbook)"
            """
        let file = folder.appendingPathComponent("selfcheck_test.yml")
        try test.write(to: file, atomically: true, encoding: .utf8)
        let result = try runProcess(promtool, ["test", "rules", file.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
}
