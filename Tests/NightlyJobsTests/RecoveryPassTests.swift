import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Rendering
import Testing
import TestSupport

@Suite("Recovery pass: stages and rules on a real PostgreSQL")
struct RecoveryStageTests {
    /// Each stage boundary one minute before and after, the earlier stages sent by earlier runs. A short
    /// cool-down keeps the per-customer cap (tested on its own) out of the way.
    @Test(arguments: RecoveryStage.allCases)
    func stageBoundaries(_ stage: RecoveryStage) async throws {
        let shop = try Fixtures()
        let cart = try shop.cart(of: try shop.customer(push: true), lastActivity: testNow)
        let delays = RecoverySettings()
        func run(at offset: TimeInterval) async throws {
            try await runRecovery(shop.database, now: testNow.addingTimeInterval(offset)) { $0.recovery.customerCooldown = hour }
        }
        let earlier = RecoveryStage.messageStages.filter { $0 < stage }
        for previous in earlier { try await run(at: delays.delay(of: previous) + minute) }
        #expect(try shop.stages(cart) == earlier)

        try await run(at: delays.delay(of: stage) - minute)
        #expect(try shop.stages(cart) == earlier)
        #expect(try shop.count("SELECT count(*) AS n FROM cart_sessions WHERE status = 'active'") == 1)

        try await run(at: delays.delay(of: stage) + minute)
        if stage == .abandon {
            #expect(try shop.stages(cart) == earlier)
            #expect(try shop.count("""
                SELECT count(*) AS n FROM cart_sessions
                WHERE status = 'abandoned' AND NOT is_active AND version = 2 AND metadata @> '{"abandoned_by_job": true}'
                """) == 1)
        } else {
            #expect(try shop.stages(cart) == earlier + [stage])
        }
    }

    @Test func aLateRunSendsOnlyTheLatestStageDue() async throws {
        let shop = try Fixtures()
        let late = try shop.cart(of: try shop.customer(push: true), lastActivity: testNow.addingTimeInterval(-80 * hour))
        let pushOnly = try shop.cart(of: try shop.customer(push: true), lastActivity: testNow.addingTimeInterval(-30 * hour))
        let noPush = try shop.cart(of: try shop.customer(push: false), lastActivity: testNow.addingTimeInterval(-25 * hour))
        let report = try await runRecovery(shop.database, now: testNow)
        #expect(try shop.stages(late) == [.secondEmail])
        #expect(try shop.stages(pushOnly) == [.push])
        #expect(try shop.stages(noPush) == [.firstEmail])
        #expect(report.counts["sent_second_email"] == 1 && report.counts["sent_push"] == 1 && report.counts["sent_first_email"] == 1)
        // Later runs never go back to the skipped stages.
        try await runRecovery(shop.database, now: testNow.addingTimeInterval(2 * day))
        #expect(try shop.stages(late) == [.secondEmail])
        #expect(try shop.stages(pushOnly) == [.push, .secondEmail])
    }

    @Test func theSendWorkersGiveEachCustomersLongestWaitingCartTheMessage() async throws {
        let shop = try Fixtures()
        // Each customer's two carts are next to each other in the order the pass sends, so the two send workers
        // would take them at once.
        let pairs = try (0..<30).map { index in
            let customer = try shop.customer()
            let activity = testNow.addingTimeInterval(-5 * hour - Double(index) * minute)
            return (older: try shop.cart(of: customer, lastActivity: activity),
                    newer: try shop.cart(of: customer, lastActivity: activity.addingTimeInterval(1)))
        }
        let report = try await runRecovery(shop.database, now: testNow)
        #expect(report.counts["sent_first_email"] == 30)
        #expect(report.counts["suppressed_customer_cooldown"] == 30)
        for pair in pairs {
            #expect(try shop.stages(pair.older) == [.firstEmail])
            #expect(try shop.stages(pair.newer) == [])
        }
    }

    @Test func atMostOneMessagePerCustomerPer24Hours() async throws {
        let shop = try Fixtures()
        let customer = try shop.customer()
        let older = try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-5 * hour))
        let newer = try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-3 * hour))
        let first = try await runRecovery(shop.database, now: testNow)
        #expect(first.counts["sent_first_email"] == 1)
        #expect(first.counts["suppressed_customer_cooldown"] == 1)
        #expect(try shop.stages(older) == [.firstEmail])
        #expect(try shop.stages(newer) == [])

        let tooSoon = try await runRecovery(shop.database, now: testNow.addingTimeInterval(23 * hour))
        #expect(tooSoon.counts["suppressed_customer_cooldown"] == 1)
        #expect(try shop.stages(newer) == [])

        // By then the newer cart's first e-mail has been due for 25 h: past the default lateness of 24 h it would
        // be skipped (tested on its own), so this run allows two days.
        try await runRecovery(shop.database, now: testNow.addingTimeInterval(24 * hour + minute)) {
            $0.recovery.maxLateness = 2 * day
        }
        #expect(try shop.stages(newer) == [.firstEmail])
        #expect(try shop.stages(older) == [.firstEmail])
    }

    @Test(arguments: ["no_consent", "unsubscribed", "bounced", "guest"])
    func customersWhoMayNotBeContactedGetNothing(_ reason: String) async throws {
        let shop = try Fixtures()
        let customer: UUID? = reason == "guest" ? nil : try shop.customer(
            optIn: reason != "no_consent", unsubscribed: reason == "unsubscribed", bounced: reason == "bounced", push: true)
        let cart = try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-30 * hour))
        let report = try await runRecovery(shop.database, now: testNow)
        #expect(report.counts["suppressed_" + reason] == 1)
        #expect(RecoveryCounts().named.keys.filter { $0.hasPrefix("sent_") }.allSatisfy { report.counts[$0] == 0 })
        #expect(try shop.stages(cart) == [])
        #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.notification_outbox") == 0)
        // Suppressed carts are still abandoned after 7 days.
        try await runRecovery(shop.database, now: testNow.addingTimeInterval(7 * day))
        #expect(try shop.count("SELECT count(*) AS n FROM cart_sessions WHERE status = 'abandoned'") == 1)
    }

    /// Consent, bounce and orders (from this cart or any other of the customer's) are re-checked inside the send
    /// transaction: a change after planning, before the customer is locked, stops the message.
    @Test(arguments: ["unsubscribe", "bounce", "order", "order_elsewhere"])
    func theSendTransactionRechecksTheLiveState(_ change: String) async throws {
        let shop = try Fixtures()
        let customer = try shop.customer()
        let cart = try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-3 * hour))
        nonisolated(unsafe) let other = try shop.database.connect()
        let pass = RecoveryPass(afterSendStep: { step in
            guard step == .planned else { return }
            let sql: String
            switch change {
            case "unsubscribe": sql = "UPDATE customers SET unsubscribed_at = now() WHERE id = $1::uuid"
            case "bounce": sql = "UPDATE customers SET email_bounced_at = now() WHERE id = $1::uuid"
            case "order_elsewhere":
                sql = """
                    INSERT INTO orders (id, order_number, customer_id, status, total_amount, currency)
                    VALUES (gen_random_uuid(), 'ORD-T', $1::uuid, 'paid', 29, 'USD')
                    """
            default:
                sql = """
                    INSERT INTO orders (id, order_number, customer_id, cart_session_id, status, total_amount, currency)
                    VALUES (gen_random_uuid(), 'ORD-T', $1::uuid, (SELECT id FROM cart_sessions LIMIT 1), 'paid', 29, 'USD')
                    """
            }
            try other.execute(SQLStatement(sql, source: "test"), [customer])
        })
        let report = try await runRecovery(shop.database, now: testNow, pass: pass)
        let expected = [
            "unsubscribe": "suppressed_unsubscribed", "bounce": "suppressed_bounced", "order": "skipped_changed",
            "order_elsewhere": "suppressed_ordered_since",
        ]
        #expect(report.counts[expected[change]!] == 1, "\(report.counts)")
        #expect(report.counts["sent_first_email"] == 0)
        #expect(try shop.stages(cart) == [])
        #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.discount_codes") == 0)
    }

    /// A cart the storefront holds, or a customer another copy of the pass is sending to, is left for the next
    /// run, not waited for without end.
    @Test func lockedCartsAndCustomersAreLeftForTheNextRun() async throws {
        let shop = try Fixtures()
        let lockedCart = try shop.cart(of: try shop.customer("Ann"), lastActivity: testNow.addingTimeInterval(-3 * hour))
        let busy = try shop.customer("Bo")
        let claimedElsewhere = try shop.cart(of: busy, lastActivity: testNow.addingTimeInterval(-4 * hour))
        let lockedCustomer = try shop.cart(of: busy, lastActivity: testNow.addingTimeInterval(-3 * hour))
        let free = try shop.cart(of: try shop.customer("Cy"), lastActivity: testNow.addingTimeInterval(-3 * hour))
        let storefront = try shop.database.connect()
        try storefront.execute("BEGIN")
        try storefront.execute(SQLStatement("SELECT 1 FROM cart_sessions WHERE id = $1::uuid FOR UPDATE", source: "test"), [lockedCart])
        // Another copy of the pass is sending for Bo's other cart: it holds that cart and Bo.
        let claim = try QueryLibrary(directory: Repository.queries).statement("recovery/claim.sql")
        #expect(try storefront.query(claim, [[claimedElsewhere]]) { _ in true }.count == 1)
        let report = try await runRecovery(shop.database, now: testNow) { $0.lockTimeout = .milliseconds(200) }
        #expect(report.counts["skipped_locked"] == 3, "Ann's cart, Bo's claimed cart, and Bo's other cart: \(report.counts)")
        #expect(report.counts["sent_first_email"] == 1)
        #expect(try shop.stages(free) == [.firstEmail])
        try storefront.execute("ROLLBACK")
        let next = try await runRecovery(shop.database, now: testNow.addingTimeInterval(minute))
        #expect(next.counts["sent_first_email"] == 2, "Ann's, and one of Bo's (one message per customer a day)")
        #expect(try shop.stages(lockedCart) == [.firstEmail])
        #expect(try shop.stages(lockedCustomer).count + shop.stages(claimedElsewhere).count == 1)
    }

    @Test func activityRestartsTheClockForStagesNotYetSent() async throws {
        let shop = try Fixtures()
        let cart = try shop.cart(of: try shop.customer(push: true), lastActivity: testNow)
        try await runRecovery(shop.database, now: testNow.addingTimeInterval(2 * hour + minute))
        #expect(try shop.stages(cart) == [.firstEmail])
        // The customer comes back ten hours later; the push is timed from then.
        let activity = testNow.addingTimeInterval(10 * hour)
        try shop.execute("UPDATE cart_sessions SET updated_at = $1::timestamptz, version = version + 1", [activity])
        try await runRecovery(shop.database, now: activity.addingTimeInterval(24 * hour - minute))
        #expect(try shop.stages(cart) == [.firstEmail])
        try await runRecovery(shop.database, now: activity.addingTimeInterval(24 * hour + minute))
        #expect(try shop.stages(cart) == [.firstEmail, .push])
        // The first e-mail, already sent, is never sent again however often the clock restarts.
        #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages WHERE stage = 'first_email'") == 1)
    }

    @Test func abandonmentIsVersionChecked() async throws {
        let shop = try Fixtures()
        let kept = try shop.cart(of: try shop.customer("Ben"), lastActivity: testNow.addingTimeInterval(-8 * day))
        let abandoned = try shop.cart(of: try shop.customer("Cleo"), lastActivity: testNow.addingTimeInterval(-8 * day))
        try shop.cart(of: try shop.customer("Dan"), lastActivity: testNow.addingTimeInterval(-3 * hour))
        nonisolated(unsafe) let other = try shop.database.connect()
        // The storefront changes one of the carts after the pass read it (here: while the pass sends Dan's e-mail).
        let pass = RecoveryPass(afterSendStep: { step in
            guard step == .committed else { return }
            try other.execute(
                SQLStatement("UPDATE cart_sessions SET version = version + 1 WHERE id = $1::uuid", source: "test"), [kept])
        })
        let report = try await runRecovery(shop.database, now: testNow, pass: pass)
        #expect(report.counts["abandoned"] == 1)
        #expect(report.counts["abandon_conflicts"] == 1)
        #expect(try shop.count("SELECT count(*) AS n FROM cart_sessions WHERE id = $1::uuid AND status = 'abandoned' AND version = 2", [abandoned]) == 1)
        #expect(try shop.count("SELECT count(*) AS n FROM cart_sessions WHERE id = $1::uuid AND status = 'active' AND version = 2", [kept]) == 1)
        // The next run, with the new version read, abandons it.
        let next = try await runRecovery(shop.database, now: testNow.addingTimeInterval(minute))
        #expect(next.counts["abandoned"] == 1)
    }

    /// The send path records a batch of carts per transaction: one transaction id per batch in the ledger and the
    /// outbox, not one per message.
    @Test func aSendTransactionRecordsABatchOfMessages() async throws {
        let shop = try Fixtures()
        for index in 0..<8 {
            try shop.cart(of: try shop.customer("C\(index)"), lastActivity: testNow.addingTimeInterval(-3 * hour - Double(index) * minute))
        }
        let report = try await runRecovery(shop.database, now: testNow, pass: RecoveryPass(sendBatchSize: 4))
        #expect(report.counts["sent_first_email"] == 8)
        for table in ["recovery_messages", "notification_outbox", "discount_codes"] {
            #expect(try shop.count("SELECT count(DISTINCT xmin::text) AS n FROM checkout_nightly.\(table)") == 2, "\(table)")
        }
    }

    @Test func thePerRunCapDefersTheRest() async throws {
        let shop = try Fixtures()
        for index in 0..<7 {
            try shop.cart(of: try shop.customer("C\(index)"), lastActivity: testNow.addingTimeInterval(-3 * hour - Double(index) * minute))
        }
        let capped = try await runRecovery(shop.database, now: testNow) { $0.recovery.maxMessagesPerRun = 5 }
        #expect(capped.counts["sent_first_email"] == 5)
        #expect(capped.counts["deferred_run_cap"] == 2)
        let rest = try await runRecovery(shop.database, now: testNow.addingTimeInterval(minute)) { $0.recovery.maxMessagesPerRun = 5 }
        #expect(rest.counts["sent_first_email"] == 2)
        #expect(rest.counts["deferred_run_cap"] == 0)
    }

    @Test func aDryRunRendersEverythingAndRecordsNothing() async throws {
        let database = try TestDatabase.seeded(carts: 300, now: testNow)
        let tables = ["cart_sessions", "cart_items", "customers", "orders", "checkout_nightly.recovery_messages",
                      "checkout_nightly.discount_codes", "checkout_nightly.notification_outbox", "checkout_nightly.runs"]
        let before = try database.checksum(of: tables)
        let output = try makeTemporaryDirectory("dry-run")
        let report = try await runRecovery(database, now: testNow, output: output) { $0.dryRun = true }
        #expect(try database.checksum(of: tables) == before)
        let sent = RecoveryStage.messageStages.map { report.counts["sent_" + $0.rawValue] ?? 0 }.reduce(0, +)
        #expect(sent > 5)
        #expect((report.counts["abandoned"] ?? 0) > 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("emails").path)
        #expect(files.filter { $0.hasSuffix(".eml") }.count == sent - (report.counts["sent_push"] ?? 0))
        let page = try String(contentsOf: output.appendingPathComponent("site/emails.html"), encoding: .utf8)
        #expect(page.contains("Dry run: these messages were rendered but not recorded or sent."))
    }
}

@Suite("Recovery pass: exactly once, codes, tokens, attribution")
struct RecoveryExactlyOnceTests {
    /// A kill at each step of the send transaction (a failure injected there), then a rerun: every due message is
    /// recorded exactly once, as in a run that was never interrupted.
    @Test(arguments: RecoverySendStep.allCases)
    func exactlyOnceUnderAKill(at step: RecoverySendStep) async throws {
        let baseline = try TestDatabase.seeded(carts: 300, now: testNow)
        try await runRecovery(baseline, now: testNow)
        let expected = try recordedMessages(baseline)
        #expect(expected.count > 5)

        let database = try TestDatabase.seeded(carts: 300, now: testNow)
        let kill = KillSwitch(at: step, afterCommits: 2)
        await #expect(throws: NightlyError.self) {
            try await runRecovery(database, now: testNow, pass: RecoveryPass(afterSendStep: kill.hook, sendBatchSize: 3))
        }
        // Batches of three carts; two workers send at once: the other may still commit a batch while the kill lands.
        let recorded = try recordedMessages(database).count
        #expect(recorded >= (step == .committed ? 3 : 2) && recorded < expected.count, "\(recorded) messages before the kill")
        try await runRecovery(database, now: testNow)
        #expect(try recordedMessages(database) == expected)
        // And once more: nothing new.
        let again = try await runRecovery(database, now: testNow)
        #expect(RecoveryStage.messageStages.allSatisfy { again.counts["sent_" + $0.rawValue] == 0 })
    }

    /// Two copies of the pass at once on their own connections (without the runner's advisory lock): no message
    /// twice, none lost, and the per-customer cap holds across the copies.
    @Test func twoConcurrentCopiesRecordEachMessageOnce() async throws {
        let baseline = try TestDatabase.seeded(carts: 400, now: testNow)
        try await runRecovery(baseline, now: testNow)
        let expectedCustomers = try Fixtures(baseline).count(
            "SELECT count(DISTINCT customer_id) AS n FROM checkout_nightly.recovery_messages")
        let expectedMessages = try recordedMessages(baseline).count

        let database = try TestDatabase.seeded(carts: 400, now: testNow)
        let counts = try await runTwoRecoveryCopies(database)
        let shop = try Fixtures(database)
        #expect(try recordedMessages(database).count == expectedMessages)
        #expect(try shop.count("SELECT count(DISTINCT customer_id) AS n FROM checkout_nightly.recovery_messages") == expectedCustomers)
        #expect(try shop.count("""
            SELECT count(*) AS n FROM (SELECT customer_id FROM checkout_nightly.recovery_messages
                                       GROUP BY customer_id HAVING count(*) > 1) AS twice
            """) == 0)
        #expect(counts.map(\.sent).reduce(0, +) == expectedMessages)
    }

    @Test func codesAreUniqueByConstraintAndUseTheAlphabet() async throws {
        let shop = try Fixtures()
        for index in 0..<4 { try shop.cart(of: try shop.customer("C\(index)"), lastActivity: testNow.addingTimeInterval(-3 * hour)) }
        // The first code the seeded generator will draw is taken already: the pass draws another.
        func issue(_ code: String) throws {
            try shop.execute("""
                INSERT INTO checkout_nightly.discount_codes (code, percent, customer_id, cart_id, issued_at, expires_at)
                VALUES ($1::text, 5, gen_random_uuid(), gen_random_uuid(), now(), now() + interval '1 day')
                """, [code])
        }
        var probe = SeededGenerator(seed: 99)
        let taken = DiscountCode.generate(using: &probe)
        try issue(taken)
        let report = try await runRecovery(shop.database, now: testNow, pass: RecoveryPass(makeGenerator: { SeededGenerator(seed: 99) }))
        #expect(report.counts["code_collisions"] == 1)
        #expect(report.counts["codes_issued"] == 4)
        let codes = try shop.connection.query(
            SQLStatement("SELECT code FROM checkout_nightly.recovery_messages", source: "test")) { try $0.decode("code", as: String.self) }
        #expect(codes.count == 4 && Set(codes).count == 4 && !codes.contains(taken))
        #expect(codes.allSatisfy(DiscountCode.isWellFormed))

        let duplicate = #expect(throws: PostgresError.self) { try issue(codes[0]) }
        #expect(duplicate?.sqlState == .uniqueViolation)
        let ambiguous = #expect(throws: PostgresError.self) { try issue("ABCD-EFGH-JK0O") }
        #expect(ambiguous?.sqlState == .checkViolation)
        // Each stage at most once per cart, by constraint too.
        let twice = #expect(throws: PostgresError.self) {
            try shop.execute("""
                INSERT INTO checkout_nightly.recovery_messages
                    (id, cart_id, customer_id, stage, channel, recipient, locale, subject, code, token_hash,
                     unsubscribe_token_hash, cart_activity_at, created_at, expires_at, run_id)
                SELECT gen_random_uuid(), cart_id, customer_id, stage, channel, recipient, locale, subject, code,
                       md5(id::text) || md5(cart_id::text), md5(cart_id::text) || md5(id::text), cart_activity_at,
                       created_at, expires_at, run_id
                FROM checkout_nightly.recovery_messages LIMIT 1
                """)
        }
        #expect(twice?.sqlState == .uniqueViolation)
        #expect(twice?.description.contains("recovery_messages_one_per_cart_stage") == true)
    }

    @Test func onlyTheTokenHashIsStored() async throws {
        let shop = try Fixtures()
        try shop.cart(of: try shop.customer(), lastActivity: testNow.addingTimeInterval(-3 * hour))
        try shop.cart(of: try shop.customer(push: true), lastActivity: testNow.addingTimeInterval(-30 * hour))
        try await runRecovery(shop.database, now: testNow)
        let outbox = try shop.connection.query(
            SQLStatement("SELECT message_id, text, headers::text AS headers FROM checkout_nightly.notification_outbox", source: "test")
        ) { (id: try $0.decode("message_id", as: UUID.self), text: try $0.decode("text", as: String.self) + (try $0.decode("headers", as: String.self))) }
        #expect(outbox.count == 2)
        for (id, text) in outbox {
            let token = try #require(text.firstMatch(of: /recover\?token=([A-Za-z0-9_-]{43})&/)?.1).description
            let unsubscribe = text.firstMatch(of: /unsubscribe\?token=([A-Za-z0-9_-]{43})/)?.1.description
            #expect(try shop.count("""
                SELECT count(*) AS n FROM checkout_nightly.recovery_messages
                WHERE id = $1::uuid AND token_hash = encode(sha256(convert_to($2::text, 'UTF8')), 'hex')
                  AND unsubscribe_token_hash IS NOT DISTINCT FROM encode(sha256(convert_to($3::text, 'UTF8')), 'hex')
                  AND (channel = 'email') = ($3::text IS NOT NULL)
                """, [id, token, unsubscribe]) == 1)
            for table in ["checkout_nightly.recovery_messages", "checkout_nightly.discount_codes", "checkout_nightly.runs",
                          "checkout_nightly.step_runs"] {
                #expect(try shop.count(
                    "SELECT count(*) AS n FROM \(table) AS t WHERE strpos(row_to_json(t)::text, $1::text) > 0", [token]) == 0)
            }
        }
    }

    /// Clicked and converted are kept apart; each order is credited to one message; the discount given is kept
    /// apart from the recovered revenue.
    @Test func attributionIsRecomputedEachRun() async throws {
        let shop = try Fixtures()
        let customers = try (0..<3).map { try shop.customer("C\($0)") }
        let carts = try customers.map { try shop.cart(of: $0, lastActivity: testNow.addingTimeInterval(-3 * hour)) }
        try await runRecovery(shop.database, now: testNow)
        func message(_ cart: UUID) throws -> (id: UUID, code: String) {
            try #require(try shop.connection.queryFirst(
                SQLStatement("SELECT id, code FROM checkout_nightly.recovery_messages WHERE cart_id = $1::uuid", source: "test"),
                [cart]) { (id: try $0.decode("id", as: UUID.self), code: try $0.decode("code", as: String.self)) })
        }
        let messages = try carts.map(message)
        try shop.order(customer: customers[0], cart: carts[0], createdAt: testNow.addingTimeInterval(day))  // from the cart
        try shop.order(  // with the code
            customer: customers[1], total: 95, discountCode: messages[1].code, createdAt: testNow.addingTimeInterval(2 * day))
        try shop.order(customer: customers[2], cart: carts[2], total: 50, createdAt: testNow.addingTimeInterval(8 * day))  // too late
        try shop.execute(
            "UPDATE checkout_nightly.recovery_messages SET clicked_at = created_at + interval '1 hour' WHERE id = ANY($1::uuid[])",
            [[messages[0].id, messages[2].id]])

        let output = try makeTemporaryDirectory("attribution")
        try await runRecovery(shop.database, now: testNow.addingTimeInterval(9 * day), output: output)
        let metrics = try String(contentsOf: output.appendingPathComponent("metrics/checkout_nightly_recovery.prom"), encoding: .utf8)
        for line in [
            "checkout_nightly_recovery_messages_total{stage=\"first_email\"} 3",
            "checkout_nightly_recovery_messages_clicked{stage=\"first_email\"} 2",
            "checkout_nightly_recovery_messages_converted{stage=\"first_email\"} 2",
            "checkout_nightly_recovery_recovered_revenue{currency=\"USD\"} 124",
            "checkout_nightly_recovery_discount_given{currency=\"USD\"} 5",
            "checkout_nightly_recovery_codes{state=\"redeemed\"} 1",
            "checkout_nightly_recovery_codes{state=\"expired\"} 2",
            "checkout_nightly_recovery_outbox_pending 3",
        ] {
            #expect(metrics.contains(line + "\n"), "\(line)")
        }
        #expect(try shop.count(
            "SELECT count(*) AS n FROM checkout_nightly.recovery_messages WHERE converted_order_id IS NOT NULL AND id = ANY($1::uuid[])",
            [[messages[0].id, messages[1].id]]) == 2)
        #expect(try shop.count(
            "SELECT count(*) AS n FROM checkout_nightly.discount_codes WHERE redeemed_order_id IS NOT NULL AND code = $1::text",
            [messages[1].code]) == 1)
        // Their windows have closed: the credit is final and no longer recomputed.
        #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages WHERE attribution_final") == 3)
    }
}

@Suite("Recovery pass: templates, outputs and a demo-style run")
struct RecoveryOutputTests {
    @Test func aBrokenTemplateStopsThePassBeforeAnythingIsRecorded() async throws {
        let database = try TestDatabase.seeded(carts: 200, now: testNow)
        let tables = ["cart_sessions", "checkout_nightly.recovery_messages", "checkout_nightly.discount_codes",
                      "checkout_nightly.notification_outbox"]
        let before = try database.checksum(of: tables)
        let templates = try makeTemporaryDirectory("broken").appendingPathComponent("templates")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Repository.templates), to: templates)
        let layout = templates.appendingPathComponent("email_layout_de-DE.mustache")
        try String(contentsOf: layout, encoding: .utf8).replacingOccurrences(of: "{{$unsubscribe}}Abmelden{{/unsubscribe}}", with: "")
            .write(to: layout, atomically: true, encoding: .utf8)
        try String(contentsOf: templates.appendingPathComponent("email_layout.mustache"), encoding: .utf8)
            .replacingOccurrences(of: "<a href=\"{{unsubscribeURL}}\"", with: "<a href=\"#\"")
            .write(to: templates.appendingPathComponent("email_layout.mustache"), atomically: true, encoding: .utf8)
        let error = await #expect(throws: NightlyError.self) {
            try await runRecovery(database, now: testNow, templates: templates.path)
        }
        #expect("\(error!)".contains("emails/de-DE/first_email.mustache rendered without the unsubscribe link"), "\(error!)")
        #expect(try database.checksum(of: tables) == before)

        try "{{<email_layout}}\n{{$intro}}\n{{#percent}}\n{{/intro}}\n{{/email_layout}}\n"
            .write(to: templates.appendingPathComponent("emails/ja-JP/second_email.mustache"), atomically: true, encoding: .utf8)
        let parse = await #expect(throws: NightlyError.self) {
            try await runRecovery(database, now: testNow, templates: templates.path)
        }
        #expect("\(parse!)".contains("emails/ja-JP/second_email.mustache:"), "\(parse!)")
        #expect(try database.checksum(of: tables) == before)
    }

    /// `make demo`: the seeded abandoned carts get their messages and the review page lists them; a second run
    /// on the same database sends nothing new. Every .eml parses; the metric file passes promtool.
    @Test func aDemoRunAndASecondRunThatSendsNothingNew() async throws {
        let database = try TestDatabase.seeded(carts: 600, now: testNow)
        let binary = try checkoutNightlyBinary()
        let output = try makeTemporaryDirectory("demo")
        func run() throws -> ProcessOutput {
            try runProcess(binary, [
                "run", "--database-url", database.url, "--output", output.path, "--now", "2025-11-25T02:00:00Z",
                "--queries", Repository.queries, "--templates", Repository.templates,
            ], environment: storefrontEnvironment)
        }
        let first = try run()
        #expect(first.status == 0, "\(first.stderr)")
        let site = output.appendingPathComponent("site")
        let index = try String(contentsOf: site.appendingPathComponent("emails.html"), encoding: .utf8)
        #expect(index.contains("emails-1.html"), "the index links the pages of messages")
        let page = try String(contentsOf: site.appendingPathComponent("emails-1.html"), encoding: .utf8)
        let shop = try Fixtures(database)
        let recorded = try shop.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages")
        #expect(recorded > 20)
        let document = try HTMLDocument(html: page)
        let links = document.references.filter { $0.hasPrefix("../emails/") }
        #expect(links.filter { $0.hasSuffix(".eml") }.count
            == (try shop.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages WHERE channel = 'email'")))
        // Every link of the review pages resolves inside the output: files, CSV downloads, the gallery, the nav.
        let gallery = try String(contentsOf: site.appendingPathComponent("email-gallery.html"), encoding: .utf8)
        let references = try document.references + HTMLDocument(html: gallery).references + HTMLDocument(html: index).references
        #expect(references.contains("../emails/gallery/ja-JP/second_email-jpy.eml"))
        #expect(gallery.contains("<iframe src=\"../emails/gallery/ja-JP/second_email-jpy.html\""), "gallery e-mails are previewed")
        #expect(!page.contains("<iframe") && page.contains("<code>"), "run messages show their codes, without frames")
        #expect(references.contains("csv/emails-messages.csv") && references.contains("csv/email-gallery-en-US.csv"))
        for link in Set(references) where !link.hasPrefix("https://") {
            let path = String(link.prefix { $0 != "#" })
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent(path).path), "\(link)")
        }
        let addresses = try shop.connection.query(SQLStatement("SELECT email FROM customers", source: "test")) {
            try $0.decode("email", as: String.self)
        }
        #expect(addresses.allSatisfy { !page.contains($0) })
        #expect(try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8).contains("href=\"emails.html\""))

        let emails = output.appendingPathComponent("emails")
        let names = try FileManager.default.contentsOfDirectory(atPath: emails.path)
        // The seeded catalogue's hostile names ("<script>alert(1)</script> Mug", "\"quoted\" & <b>bold</b> Poster")
        // arrive escaped in every e-mail.
        let html = try names.filter { $0.hasSuffix(".html") }.map {
            try String(contentsOf: emails.appendingPathComponent($0), encoding: .utf8)
        }
        #expect(html.allSatisfy { !$0.contains("<script") && !$0.contains("<b>") })
        #expect(html.contains { $0.contains("&lt;script&gt;alert(1)&lt;/script&gt; Mug") })
        #expect(html.contains { $0.contains("&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; Poster") })
        // Review copies carry no live credential: the outbox's link and unsubscribe tokens appear in no file.
        let outbox = try shop.connection.query(
            SQLStatement("SELECT text FROM checkout_nightly.notification_outbox", source: "test")
        ) { try $0.decode("text", as: String.self) }.joined(separator: "\n")
        let tokens = Set(outbox.matches(of: /token=([A-Za-z0-9_-]{20,})/).map { String($0.output.1) })
        #expect(tokens.count >= recorded, "every message has its own tokens in the outbox")
        let reviewCopies = try names.filter { $0 != "gallery" }
            .map { try String(contentsOf: emails.appendingPathComponent($0), encoding: .utf8) }.joined(separator: "\n")
        #expect(tokens.allSatisfy { !reviewCopies.contains($0) && !page.contains($0) })
        #expect(reviewCopies.contains("token=\(RecoveryRendering.reviewToken)"))
        // Nor a live code or a full address: not in the bodies, not in the To: header.
        let codes = try shop.connection.query(
            SQLStatement("SELECT code FROM checkout_nightly.discount_codes", source: "test")) { try $0.decode("code", as: String.self) }
        #expect(!codes.isEmpty && codes.allSatisfy { !reviewCopies.contains($0) && !page.contains($0) })
        #expect(addresses.allSatisfy { !reviewCopies.contains($0) }, "review copies mask every recipient")
        #expect(reviewCopies.contains("To: ") && reviewCopies.contains("***@"))
        let emlFiles = names.filter { $0.hasSuffix(".eml") }
        let parsed = try runProcess(
            try requireTool("python3"),
            [Repository.fixtures.appendingPathComponent("parse_eml.py").path] + emlFiles.map { emails.appendingPathComponent($0).path })
        #expect(parsed.status == 0, "\(parsed.stderr)")
        #expect(!parsed.stdout.contains("\"defects\": [\"") && parsed.stdout.components(separatedBy: "\"multipart/alternative\"").count - 1 == emlFiles.count)

        let promtool = try runProcess("/bin/sh", [
            "-c", "\"$0\" check metrics < \"$1\"", try requireTool("promtool"),
            output.appendingPathComponent("metrics/checkout_nightly_recovery.prom").path,
        ])
        #expect(promtool.status == 0, "\(promtool.stdout)\(promtool.stderr)")

        let second = try run()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages") == recorded)
        let counts = try #require(try shop.connection.queryFirst(SQLStatement(
            "SELECT counts::text AS counts FROM checkout_nightly.step_runs WHERE step = 'recovery' ORDER BY id DESC LIMIT 1",
            source: "test")) { try $0.decode("counts", as: JSONValue.self) })
        for stage in RecoveryStage.messageStages {
            #expect(counts["sent_" + stage.rawValue] == .number(0))
        }
    }
}

@Suite("A connection lost in the middle of a run")
struct LostConnectionTests {
    /// The database goes away mid-pass (a restart, a terminated backend): the run exits 69 with one sentence,
    /// the metric file still says the step failed, and the next run closes the run in the ledger.
    @Test func exits69KeepsTheFailureVisibleAndTheNextRunClosesIt() async throws {
        let shop = try Fixtures()
        for index in 0..<3 {
            try shop.cart(of: try shop.customer("C\(index)"), lastActivity: testNow.addingTimeInterval(-3 * hour))
        }
        let output = try makeTemporaryDirectory("lost")
        let admin = try Connection(url: "dbname=postgres")
        let name = shop.database.name
        nonisolated(unsafe) let killer = admin
        // Both send workers may reach `.locked` at once; one libpq connection must not be used by two threads.
        let killerLock = NSLock()
        let pass = RecoveryPass(afterSendStep: { step in
            guard step == .locked else { return }
            try killerLock.withLock {
                try killer.execute(
                    SQLStatement(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                        source: "test"), [name])
            }
        })
        let error = await #expect(throws: NightlyError.self) {
            try await runRecovery(shop.database, now: testNow, output: output, pass: pass)
        }
        #expect(error?.exitCode == 69, "\(error?.description ?? "")")
        let metrics = try String(contentsOf: output.appendingPathComponent("metrics/checkout_nightly_recovery.prom"), encoding: .utf8)
        #expect(metrics.contains("checkout_nightly_step_outcome{outcome=\"failed\",step=\"recovery\"} 1"))
        let after = try Fixtures(shop.database)  // the pass's kill also ended the shop's own session
        #expect(try after.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages") == 0)

        try await runRecovery(shop.database, now: testNow, output: output)
        let outcomes = try after.connection.query(
            SQLStatement("SELECT outcome FROM checkout_nightly.runs ORDER BY started_at, outcome", source: "test")
        ) { try $0.decode("outcome", as: String.self) }
        #expect(outcomes.sorted() == ["failed", "succeeded"], "the cut-off run is closed as failed")
    }
}

@Suite("Review copies outlive a run that renders none")
struct ReviewCopyCarryOverTests {
    /// Another copy holds the recovery pass's lock: this run skips the pass and publishes, and the review copies
    /// and the review page the previous run published stay, links and all.
    @Test func aSkippedRecoveryKeepsThePublishedReviewCopies() async throws {
        let shop = try Fixtures()
        try shop.cart(of: try shop.customer("Ann"), lastActivity: testNow.addingTimeInterval(-3 * hour))
        let output = try makeTemporaryDirectory("carry")
        try await runRecovery(shop.database, now: testNow, output: output)
        let emails = output.appendingPathComponent("emails")
        let before = try FileManager.default.contentsOfDirectory(atPath: emails.path).filter { $0.hasSuffix(".eml") }
        #expect(before.count == 1)

        let otherCopy = try shop.database.connect()
        let locked = try otherCopy.queryFirst(
            try QueryLibrary(directory: Repository.queries).statement("run/try_pass_lock.sql"), ["recovery"]
        ) { try $0.decode("locked", as: Bool.self) }
        #expect(locked == true)
        let skipped = try await runRecovery(shop.database, now: testNow.addingTimeInterval(minute), output: output)
        #expect(skipped.outcome == .skipped)
        let after = try FileManager.default.contentsOfDirectory(atPath: emails.path).filter { $0.hasSuffix(".eml") }
        #expect(after == before)
        let page = try String(contentsOf: output.appendingPathComponent("site/emails-1.html"), encoding: .utf8)
        #expect(page.contains(before[0]))
    }
}
