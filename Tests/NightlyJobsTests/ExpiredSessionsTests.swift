import Foundation
import NightlyCore
import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("Expired-session cleanup pass (plan task 2.3)")
struct ExpiredSessionsTests {
    static let retention: TimeInterval = 7 * 86400

    @Test func deletesSessionsPastTheRetentionLineWithTheirItemsAndNothingElse() async throws {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let pastTheLine = try rows.cart(expiresAt: rows.now.addingTimeInterval(-Self.retention - 60), items: .numbered(3))
        let insideTheLine = try rows.cart(expiresAt: rows.now.addingTimeInterval(-Self.retention + 60), items: .numbered(2))
        let live = try rows.cart(expiresAt: rows.now.addingTimeInterval(86400), items: .numbered(2))
        let expiredInCheckout = try rows.stuckCart(expiresIn: -30 * 86400).cart
        let expiredCheckoutWithoutOrder = try rows.cart(status: "checkout", expiresAt: rows.now.addingTimeInterval(-30 * 86400), items: .numbered(1))
        let completedOrder = UUID()
        let expiredCompleted = try rows.cart(
            status: "completed", orderID: completedOrder, expiresAt: rows.now.addingTimeInterval(-30 * 86400), items: .numbered(1))
        try rows.order(completedOrder, cart: expiredCompleted)
        let kept = try [insideTheLine, live, expiredInCheckout].map { try rows.state($0) }

        let report = try await runPass(.expiredSessions, try cleanupSettings(database, steps: [.expiredSessions]))

        #expect(report.outcome == .succeeded)
        #expect(report.counts == ["deleted": 2, "items_deleted": 4, "left_for_stuck_cart_cleanup": 1, "kept_for_orders": 1])
        for gone in [pastTheLine, expiredCheckoutWithoutOrder] {
            #expect(try rows.state(gone) == nil)
        }
        #expect(try rows.state(expiredCompleted) != nil, "an order references it (orders.cart_session_id)")
        #expect(try [insideTheLine, live, expiredInCheckout].map { try rows.state($0) } == kept)
        #expect(try rows.rowCount("cart_items") == 7, "only the deleted sessions' items went")
        #expect(try rows.rowCount("orders") == 2, "orders are never touched")
    }

    /// 25 expired sessions in batches of 10: every batch runs, or, when the time limit has passed as soon as
    /// the first batch is done, only that one, and the pass says it stopped early.
    @Test(arguments: [
        (Duration.seconds(300), StepOutcome.succeeded, ["10", "10", "5"]),
        (.nanoseconds(1), .stoppedEarly, ["10"]),
    ])
    func deletesInBoundedBatchesWithinTheTimeLimit(_ limit: Duration, _ outcome: StepOutcome, _ batches: [String])
        async throws
    {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        for index in 0..<25 { try rows.cart(expiresAt: rows.now.addingTimeInterval(-Self.retention - 3600 - Double(index)), items: .numbered(1)) }
        var settings = try cleanupSettings(database, steps: [.expiredSessions])
        settings.expiredSessions.batchSize = 10
        settings.expiredSessions.timeLimit = limit
        let log = LogRecord()

        let report = try await runPass(.expiredSessions, settings, log: log)

        let deleted = batches.compactMap { Int($0) }.reduce(0, +)
        #expect(report.outcome == outcome)
        #expect(report.counts["deleted"] == deleted)
        #expect(log.values("sessions", of: "expired sessions deleted") == batches)
        #expect(try rows.rowCount("cart_sessions") == 25 - deleted)
        #expect(try rows.rowCount("cart_items") == 25 - deleted)
    }

    @Test func aSessionHeldByAnotherTransactionIsLeftWithoutWaiting() async throws {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let held = try rows.cart(expiresAt: rows.now.addingTimeInterval(-30 * 86400), items: .numbered(2))
        try rows.cart(expiresAt: rows.now.addingTimeInterval(-30 * 86400), items: .numbered(2))
        let orderService = try database.connect()
        try orderService.execute("BEGIN")
        try orderService.execute("SELECT id FROM cart_sessions WHERE id = $1::uuid FOR UPDATE", [held])
        var settings = try cleanupSettings(database, steps: [.expiredSessions])
        settings.lockTimeout = .seconds(30)

        let report = try await runPass(.expiredSessions, settings)
        try orderService.execute("ROLLBACK")

        #expect(report.counts["deleted"] == 1)
        #expect(try rows.state(held) != nil)
    }
}

@Suite("Both cleanup passes on seeded data")
struct CleanupPassesTests {
    /// Each pass's dry run predicts exactly what its real run then does, and changes no row.
    @Test(arguments: [StepName.stuckCarts, .expiredSessions])
    func aDryRunChangesNothingAndReportsExactlyWhatTheRunWillDo(_ step: StepName) async throws {
        let database = try TestDatabase.seeded(carts: 3000, now: testNow)
        var settings = try cleanupSettings(database, steps: [step])
        settings.dryRun = true
        let before = try database.checksum(of: cleanupTables)
        let log = LogRecord()

        let dryRun = try await runPass(step, settings, log: log)

        #expect(try database.checksum(of: cleanupTables) == before)
        let firstIDs = log.entries.first { $0.message == "dry run: nothing changed" }?.metadata
            .first { $0.key.hasPrefix("first_") }.map { "\($0.value)" }?.split(separator: ",").map(String.init) ?? []
        #expect(firstIDs.count == 5)

        settings.dryRun = false
        let real = try await runPass(step, settings)

        #expect(dryRun.counts == real.counts)
        #expect((real.counts["cleaned"] ?? real.counts["deleted"] ?? 0) > 5)
        let stillThere = try Fixtures(database).connection.queryFirst(
            "SELECT count(*) AS n FROM cart_sessions WHERE id = ANY ($1::uuid[]) AND status <> 'completed'",
            [firstIDs.compactMap(UUID.init(uuidString:))]
        ) { try $0.decode("n", as: Int.self) }
        #expect(stillThere == 0, "the ids the dry run listed were cleaned or deleted")
    }

    @Test func aSecondRunChangesNothing() async throws {
        let database = try TestDatabase.seeded(carts: 3000, now: testNow)
        let settings = try cleanupSettings(database)
        let first = try await NightlyRun(settings: settings, logger: LogRecord().logger).execute()
        #expect(first.allSatisfy { $0.outcome == .succeeded })
        #expect(first.map { $0.counts["cleaned"] ?? $0.counts["deleted"] ?? 0 }.allSatisfy { $0 > 0 })
        let after = try database.checksum(of: cleanupTables)

        let second = try await NightlyRun(settings: settings, logger: LogRecord().logger).execute()

        #expect(try database.checksum(of: cleanupTables) == after)
        #expect(second.map { $0.counts["cleaned"] ?? $0.counts["deleted"] } == [0, 0])
        #expect(second[0].counts["skipped_order_missing"] == first[0].counts["skipped_order_missing"])
    }

    @Test func metricFilesCarryThePlansFamiliesAndPassPromtool() async throws {
        let database = try TestDatabase.seeded(carts: 1500, now: testNow)
        let settings = try cleanupSettings(database)
        var deleted = 0
        for _ in 0..<2 {
            let reports = try await NightlyRun(settings: settings, logger: LogRecord().logger).execute()
            deleted += reports[1].counts["deleted"] ?? 0
        }
        let stuck = try String(contentsOfFile: settings.metricsDirectory + "/checkout_nightly_stuck_carts.prom", encoding: .utf8)
        let sessions = try String(
            contentsOfFile: settings.metricsDirectory + "/checkout_nightly_expired_sessions.prom", encoding: .utf8)
        let missingOrders = try Fixtures(database).connection.queryFirst(
            """
            SELECT count(*) AS n FROM cart_sessions c
            WHERE status = 'checkout' AND order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = c.order_id)
              AND updated_at < $1::timestamptz - interval '10 minutes'
            """, [testNow]
        ) { try $0.decode("n", as: Int.self) } ?? 0
        #expect(missingOrders > 0)

        #expect(stuck.contains("checkout_cleanup_job_executions_total{step=\"stuck-carts\"} 2\n"))
        #expect(stuck.contains("checkout_cleanup_job_success_total{step=\"stuck-carts\"} 2\n"))
        #expect(stuck.contains("checkout_cleanup_job_carts_processed{step=\"stuck-carts\"} \(missingOrders)\n"))
        #expect(stuck.contains("checkout_carts_pending_cleanup{order=\"missing\"} \(missingOrders)\n"))
        #expect(stuck.contains("checkout_carts_pending_cleanup{order=\"found\"} 0\n"))
        #expect(stuck.contains("checkout_nightly_step_items{item=\"conflicts\",step=\"stuck-carts\"} 0\n"))
        #expect(sessions.contains("checkout_cleanup_job_executions_total{step=\"expired-sessions\"} 2\n"))
        #expect(sessions.contains("cart_expired_sessions_cleaned_total \(deleted)\n"))
        #expect(deleted > 0)
        let promtool = try requireTool("promtool")
        for file in ["checkout_nightly_stuck_carts.prom", "checkout_nightly_expired_sessions.prom"] {
            let check = try runProcess(promtool, ["check", "metrics"], stdinFile: settings.metricsDirectory + "/" + file)
            #expect(check.status == 0, "promtool on \(file): \(check.stdout)\(check.stderr)")
        }
    }

    @Test func theCommandLineRunsThePassesWithSettingsFromTheEnvironment() throws {
        let database = try TestDatabase.seeded(carts: 300, now: testNow)
        let before = try database.checksum(of: cleanupTables)
        let result = try runProcess(
            try checkoutNightlyBinary(),
            ["run", "--only", "stuck-carts,expired-sessions", "--dry-run", "--database-url", database.url,
             "--output", try makeTemporaryDirectory("cli").path, "--now", "2025-11-25T02:00:00Z"],
            environment: ["CHECKOUT_NIGHTLY_STUCK_CART_BATCH_SIZE": "0"], currentDirectory: Repository.root)
        #expect(result.status == 64)
        #expect(result.stderr.contains("stuck_cart_batch_size is \"0\""))

        let dryRun = try runProcess(
            try checkoutNightlyBinary(),
            ["run", "--only", "stuck-carts,expired-sessions", "--dry-run", "--database-url", database.url,
             "--output", try makeTemporaryDirectory("cli").path, "--now", "2025-11-25T02:00:00Z"],
            environment: ["CHECKOUT_NIGHTLY_SESSION_RETENTION": "30d"], currentDirectory: Repository.root)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        let dryRunLines = dryRun.stderr.split(separator: "\n").filter { $0.contains("msg=\"dry run: nothing changed\"") }
        #expect(dryRunLines.count == 2)
        #expect(dryRunLines.contains { $0.contains(" step=stuck-carts ") && $0.contains("first_cart_ids=") })
        #expect(dryRunLines.contains { $0.contains(" step=expired-sessions ") && $0.contains("first_session_ids=") })
        #expect(try database.checksum(of: cleanupTables) == before)
    }
}
