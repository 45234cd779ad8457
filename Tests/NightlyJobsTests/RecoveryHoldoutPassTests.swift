import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Rendering
import Testing
import TestSupport

/// A known holdout key, written over the random one migration 0008 drew, so a test knows who is held out.
let knownHoldoutKey = Data((0..<32).map { UInt8($0 * 7 % 256) })

extension Fixtures {
    /// Replaces the database's holdout key with `key`.
    func useHoldoutKey(_ key: Data = knownHoldoutKey) throws {
        try execute("UPDATE checkout_nightly.recovery_holdout_key SET key = decode($1::text, 'base64')", [key.base64EncodedString()])
    }

    /// The stages held out for `cart`, in stage order.
    func heldOutStages(_ cart: UUID) throws -> [RecoveryStage] {
        try connection.query(
            SQLStatement("SELECT stage FROM checkout_nightly.recovery_holdouts WHERE cart_id = $1::uuid", source: "test"),
            [cart]
        ) { RecoveryStage(rawValue: try $0.decode("stage")) }.compactMap { $0 }.sorted()
    }

    /// Every held-out row as `cart|stage`.
    func heldOutRows() throws -> Set<String> {
        Set(try connection.query(
            SQLStatement("SELECT cart_id::text || '|' || stage AS key FROM checkout_nightly.recovery_holdouts", source: "test")
        ) { try $0.decode("key", as: String.self) })
    }
}

/// Settings that hold out `percent` % of customers.
func holdingOut(_ percent: Int) -> (inout Settings) -> Void {
    { $0.recovery.holdoutPercent = percent }
}

@Suite("Recovery holdout on a real PostgreSQL: held-out rows, exactly once, attribution, explain")
struct RecoveryHoldoutPassTests {
    /// A shop of at least `count` customers with a cart each, idle 3 h (more until the known key holds out some and
    /// not all of them at 50 %), and which of them it holds out.
    func shopOfDueCarts(_ count: Int, push: Bool = false) throws -> (Fixtures, carts: [UUID], heldOut: Set<UUID>) {
        let shop = try Fixtures()
        try shop.useHoldoutKey()
        let holdout = RecoveryHoldout(key: knownHoldoutKey, percent: 50)
        var carts: [UUID] = []
        var heldOut: Set<UUID> = []
        // Customer ids are random: with 8 customers at 50 %, one shop in 128 would hold out all or none.
        while carts.count < count || heldOut.isEmpty || heldOut.count == carts.count {
            let customer = try shop.customer("C\(carts.count)", push: push)
            let cart = try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-3 * hour))
            carts.append(cart)
            if holdout.holdsOut(customer) { heldOut.insert(cart) }
        }
        return (shop, carts, heldOut)
    }

    /// A held-out cart gets a row of its own at the stage it would have been sent, and no message, code or
    /// outbox row; the others are messaged. A second run records nothing new; later stages are held out too.
    @Test func heldOutCartsGetTheirOwnRowAndNoMessage() async throws {
        let (shop, carts, heldOut) = try shopOfDueCarts(16)
        let first = try await runRecovery(shop.database, now: testNow, holdingOut(50))
        #expect(first.counts["held_out"] == heldOut.count, "\(first.counts)")
        #expect(first.counts["sent_first_email"] == carts.count - heldOut.count)
        for cart in carts {
            #expect(try shop.heldOutStages(cart) == (heldOut.contains(cart) ? [.firstEmail] : []))
            #expect(try shop.stages(cart) == (heldOut.contains(cart) ? [] : [.firstEmail]))
        }
        _ = try recordedMessages(shop.database)  // one outbox row per message, one code per e-mail, none else
        #expect(try shop.count("""
            SELECT count(*) AS n FROM checkout_nightly.discount_codes AS d
            JOIN checkout_nightly.recovery_holdouts AS h ON h.cart_id = d.cart_id
            """) == 0)

        let again = try await runRecovery(shop.database, now: testNow.addingTimeInterval(hour), holdingOut(50))
        #expect(again.counts["held_out"] == 0 && again.counts["sent_first_email"] == 0, "\(again.counts)")

        // 75 h idle: the second e-mail is due for both groups (the held-out row counts as the first stage).
        let later = try await runRecovery(shop.database, now: testNow.addingTimeInterval(72 * hour), holdingOut(50))
        #expect(later.counts["held_out"] == heldOut.count, "\(later.counts)")
        #expect(later.counts["sent_second_email"] == carts.count - heldOut.count)
        for cart in heldOut { #expect(try shop.heldOutStages(cart) == [.firstEmail, .secondEmail]) }
    }

    /// The held-out row is one per cart and stage by constraint, like a message.
    @Test func oneHeldOutRowPerCartAndStageByConstraint() async throws {
        let (shop, _, heldOut) = try shopOfDueCarts(8)
        try await runRecovery(shop.database, now: testNow, holdingOut(50))
        #expect(!heldOut.isEmpty)
        let twice = #expect(throws: PostgresError.self) {
            try shop.execute("""
                INSERT INTO checkout_nightly.recovery_holdouts
                    (id, cart_id, customer_id, stage, currency, cart_activity_at, created_at, run_id)
                SELECT gen_random_uuid(), cart_id, customer_id, stage, currency, cart_activity_at, created_at, run_id
                FROM checkout_nightly.recovery_holdouts LIMIT 1
                """)
        }
        #expect(twice?.description.contains("recovery_holdouts_one_per_cart_stage") == true)
    }

    /// The held-out row is recorded under the same locks and re-check as a message: a change after planning
    /// stops it and is counted as it would be for a message.
    @Test(arguments: ["unsubscribe", "order_elsewhere"])
    func theHeldOutRowIsRecheckedUnderTheLock(_ change: String) async throws {
        let (shop, _, heldOut) = try shopOfDueCarts(16)
        let held = try #require(heldOut.first)
        let customer = try #require(try shop.connection.queryFirst(
            SQLStatement("SELECT customer_id FROM cart_sessions WHERE id = $1::uuid", source: "test"), [held]
        ) { try $0.decode("customer_id", as: UUID.self) })
        // The storefront's change, made once, before the first send transaction of the run (two send workers
        // call the hook: the lock keeps them off the one connection).
        nonisolated(unsafe) let other = try shop.database.connect()
        nonisolated(unsafe) var changed = false
        let lock = NSLock()
        let pass = RecoveryPass(afterSendStep: { step in
            guard step == .planned else { return }
            try lock.withLock {
                guard !changed else { return }
                changed = true
                let sql = change == "unsubscribe"
                    ? "UPDATE customers SET unsubscribed_at = now() WHERE id = $1::uuid"
                    : """
                      INSERT INTO orders (id, order_number, customer_id, status, total_amount, currency)
                      VALUES (gen_random_uuid(), 'ORD-T', $1::uuid, 'paid', 29, 'USD')
                      """
                try other.execute(SQLStatement(sql, source: "test"), [customer])
            }
        })
        let report = try await runRecovery(shop.database, now: testNow, pass: pass, holdingOut(50))
        let counted = change == "unsubscribe" ? "suppressed_unsubscribed" : "suppressed_ordered_since"
        #expect(report.counts[counted] == 1, "\(report.counts)")
        #expect(report.counts["held_out"] == heldOut.count - 1)
        #expect(try shop.heldOutStages(held) == [])
    }

    /// Killed at each step of the held-out row's transaction, then run again: the rows are those of a run that
    /// was never interrupted.
    @Test(arguments: RecoverySendStep.allCases)
    func exactlyOnceUnderAKill(at step: RecoverySendStep) async throws {
        let baseline = try TestDatabase.seeded(carts: 300, now: testNow)
        try await runRecovery(baseline, now: testNow, holdingOut(50))
        let expected = try Fixtures(baseline).heldOutRows()
        #expect(expected.count > 5)

        let database = try TestDatabase.seeded(carts: 300, now: testNow)
        let kill = KillSwitch(at: step, afterCommits: 2)
        await #expect(throws: NightlyError.self) {
            try await runRecovery(database, now: testNow, pass: RecoveryPass(afterSendStep: kill.hook, sendBatchSize: 3), holdingOut(50))
        }
        try await runRecovery(database, now: testNow, holdingOut(50))
        #expect(try Fixtures(database).heldOutRows() == expected)
        #expect(try recordedMessages(database) == recordedMessages(baseline))
    }

    /// Two copies at once: each held-out row once, the same rows as one copy records.
    @Test func twoConcurrentCopiesRecordEachHeldOutRowOnce() async throws {
        let baseline = try TestDatabase.seeded(carts: 400, now: testNow)
        try await runRecovery(baseline, now: testNow, holdingOut(50))
        let expected = try Fixtures(baseline).heldOutRows()

        let database = try TestDatabase.seeded(carts: 400, now: testNow)
        let counts = try await runTwoRecoveryCopies(database, holdingOut(50))
        #expect(try Fixtures(database).heldOutRows() == expected)
        #expect(counts.map(\.heldOut).reduce(0, +) == expected.count)
    }

    /// An order from a held-out cart within the attribution window converts its row, as it would a message;
    /// one after the window, or on another cart, does not.
    @Test(arguments: [(hour, true), (7 * day - minute, true), (7 * day + minute, false)])
    func ordersAreAttributedToHeldOutRows(_ after: TimeInterval, _ converts: Bool) async throws {
        let (shop, _, heldOut) = try shopOfDueCarts(8)
        try await runRecovery(shop.database, now: testNow, holdingOut(50))
        let held = try #require(heldOut.first)
        try shop.execute(
            """
            INSERT INTO orders (id, order_number, customer_id, cart_session_id, status, total_amount, currency, created_at)
            SELECT gen_random_uuid(), 'ORD-H', customer_id, NULL, 'paid', 10, 'USD', $2::timestamptz
            FROM cart_sessions WHERE id = $1::uuid
            """, [held, testNow.addingTimeInterval(after / 2)])
        try shop.execute(
            """
            INSERT INTO orders (id, order_number, customer_id, cart_session_id, status, total_amount, currency, created_at)
            SELECT gen_random_uuid(), 'ORD-C', customer_id, id, 'paid', 29, 'USD', $2::timestamptz
            FROM cart_sessions WHERE id = $1::uuid
            """, [held, testNow.addingTimeInterval(after)])
        try await runRecovery(shop.database, now: testNow.addingTimeInterval(8 * day), holdingOut(50))
        let converted = try shop.connection.queryFirst(
            SQLStatement(
                """
                SELECT o.order_number, h.attribution_final FROM checkout_nightly.recovery_holdouts AS h
                LEFT JOIN orders AS o ON o.id = h.converted_order_id WHERE h.cart_id = $1::uuid
                """, source: "test"), [held]
        ) { (try $0.decodeIfPresent("order_number", as: String.self), try $0.decode("attribution_final", as: Bool.self)) }
        #expect(converted?.0 == (converts ? "ORD-C" : nil))
        #expect(converted?.1 == true, "the window has closed: the credit is final")
    }

    /// explain shows whether the customer is held out and lists the held-out row.
    @Test func explainShowsTheHoldout() async throws {
        let (shop, _, heldOut) = try shopOfDueCarts(8)
        try await runRecovery(shop.database, now: testNow, holdingOut(50))
        let held = try #require(heldOut.first)
        var settings = testSettings(
            database: shop.database, output: try makeTemporaryDirectory("explain"), now: testNow.addingTimeInterval(hour))
        settings.recovery.holdoutPercent = 50
        let explanation = try RecoveryExplainer(settings: settings).explain(cartID: held)
        #expect(explanation.facts.contains { $0.name == "holdout" && $0.value.hasPrefix("held out (bucket") }, "\(explanation.text)")
        #expect(explanation.messages.map(\.heldOut) == [true])
        #expect(explanation.text.contains("first_email  held out, nothing sent"), "\(explanation.text)")
        settings.recovery.holdoutPercent = 0
        let off = try RecoveryExplainer(settings: settings).explain(cartID: held)
        #expect(off.facts.contains { $0.name == "holdout" && $0.value == "off" })
    }

    /// A dry run counts the held-out carts and records nothing.
    @Test func aDryRunRecordsNoHeldOutRow() async throws {
        let (shop, _, heldOut) = try shopOfDueCarts(8)
        let report = try await runRecovery(shop.database, now: testNow) {
            $0.recovery.holdoutPercent = 50
            $0.dryRun = true
        }
        #expect(report.counts["held_out"] == heldOut.count)
        #expect(try shop.heldOutRows().isEmpty)
    }
}
