import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("Stuck-cart cleanup pass (plan task 1.2)")
struct StuckCartsTests {
    static let zeroCounts = StuckCartCounts().named

    @Test func cleansAStuckCartLogsItAndLeavesEveryOtherCartAlone() async throws {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let stuck = try rows.stuckCart(idle: 3600, version: 3, items: 2)
        let untouched = [
            try rows.stuckCart(idle: 5 * 60).cart,  // inside the 10-minute grace period
            try rows.cart(status: "active", lastActivity: rows.now.addingTimeInterval(-86400)),
            try rows.cart(status: "checkout", lastActivity: rows.now.addingTimeInterval(-86400)),  // checkout without an order
            try rows.cart(status: "completed", orderID: UUID(), lastActivity: rows.now.addingTimeInterval(-86400)),
        ]
        let before = try untouched.map { try rows.state($0) }
        let log = LogRecord()

        let report = try await runPass(.stuckCarts, try cleanupSettings(database, steps: [.stuckCarts]), log: log)

        #expect(report.outcome == .succeeded)
        #expect(report.counts == Self.zeroCounts.merging(["cleaned": 1, "items_deleted": 2]) { _, new in new })
        let cleaned = try #require(try rows.state(stuck.cart))
        #expect(cleaned.status == "completed")
        #expect(!cleaned.isActive)
        #expect(cleaned.version == 4)
        #expect(cleaned.items == 0)
        #expect(cleaned.cleanedByJob)
        #expect(cleaned.metadata["cleaned_by_job_at"] == .string("2025-11-25T02:00:00+00:00"))
        #expect(cleaned.metadata["channel"] == .string("web"), "existing metadata is kept")
        #expect(try untouched.map { try rows.state($0) } == before)
        #expect(log.values("cart_id", of: "cart cleaned") == [stuck.cart.uuidString.lowercased()])
        #expect(log.values("order_id", of: "cart cleaned") == [stuck.order.uuidString.lowercased()])
        #expect(try rows.rowCount("orders") == 2, "orders are never touched")
    }

    @Test func aCartWhoseOrderIsMissingIsSkippedLoggedCountedAndNeverTouched() async throws {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let orphan = try rows.stuckCartWithoutOrder()
        let before = try database.checksum(of: cleanupTables)
        let log = LogRecord()
        let settings = try cleanupSettings(database, steps: [.stuckCarts])

        let report = try await runPass(.stuckCarts, settings, log: log)

        #expect(report.outcome == .succeeded)
        #expect(report.counts == Self.zeroCounts.merging(["skipped_order_missing": 1]) { _, new in new })
        #expect(try database.checksum(of: cleanupTables) == before)
        #expect(log.values("cart_id", of: "cart skipped: its order does not exist") == [orphan.uuidString.lowercased()])
        let metrics = try String(
            contentsOf: URL(fileURLWithPath: settings.metricsDirectory + "/checkout_nightly_stuck_carts.prom"),
            encoding: .utf8)
        #expect(metrics.contains("checkout_carts_pending_cleanup{order=\"missing\"} 1\n"))
        #expect(metrics.contains("checkout_carts_pending_cleanup{order=\"found\"} 0\n"))
    }

    /// The order service changes the cart after the pass read it and before the pass locked it, through its
    /// optimistic lock (bumping `version`) or not (only `updated_at` moves): the order service's change wins, and
    /// the pass counts a conflict. The arguments: what the order service changes, and the version it leaves.
    @Test(arguments: [("version = version + 1", 4), ("updated_at = updated_at + interval '1 millisecond'", 3)])
    func aConcurrentUpdateFromASecondConnectionWinsAsAConflict(_ change: String, _ version: Int) async throws {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let (cart, _) = try rows.stuckCart(version: 3)
        let other = try rows.stuckCart(version: 1)
        let settings = try cleanupSettings(database, steps: [.stuckCarts])
        let context = try await makeContext(settings, log: LogRecord())
        let pass = StuckCartPass(
            connection: context.connection, queries: context.queries, cutoff: testNow.addingTimeInterval(-600),
            cleanedAt: testNow, batchSize: 100)

        let batch = try pass.read()
        #expect(Set(batch.carts.map(\.id)) == [cart, other.cart])
        let orderService = try database.connect()
        try orderService.execute(SQLStatement(
            """
            UPDATE cart_sessions SET \(change), metadata = metadata || '{"note": "order service"}'
            WHERE status = 'checkout' AND version = 3
            """, source: "test: the order service's change"))
        let plan = try pass.clean(batch.carts)

        #expect(plan.conflicts.map(\.id) == [cart])
        #expect(plan.clean.map(\.id) == [other.cart])
        let kept = try #require(try rows.state(cart))
        #expect(kept.status == "checkout")
        #expect(kept.version == version, "the order service's version, not bumped again")
        #expect(kept.items == 2)
        #expect(kept.metadata["note"] == .string("order service"))
        #expect(!kept.cleanedByJob)

        // The cart is read afresh and cleaned by the next run.
        let next = try await runPass(.stuckCarts, settings)
        #expect(next.counts["cleaned"] == 1)
        #expect(try rows.state(cart)?.version == version + 1)
    }

    /// A cart the order service is changing right now (its row locked by an open transaction) is skipped at
    /// once, not waited for, and its change stands once committed.
    @Test func aCartHeldByAnotherTransactionIsSkippedWithoutWaiting() async throws {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let held = try rows.stuckCart(version: 2).cart
        let free = try rows.stuckCart().cart
        let orderService = try database.connect()
        try orderService.execute("BEGIN")
        try orderService.execute(
            "UPDATE cart_sessions SET version = version + 1, status = 'active', order_id = NULL WHERE id = $1::uuid",
            [held])
        var settings = try cleanupSettings(database, steps: [.stuckCarts])
        settings.lockTimeout = .seconds(30)

        let report = try await runPass(.stuckCarts, settings)
        try orderService.execute("COMMIT")

        #expect(report.counts == Self.zeroCounts.merging(["cleaned": 1, "items_deleted": 2, "skipped_locked": 1]) { _, new in new })
        #expect(try rows.state(free)?.status == "completed")
        let changed = try #require(try rows.state(held))
        #expect(changed.status == "active")
        #expect(changed.version == 3)
        #expect(changed.items == 2)
    }

    @Test func twoConcurrentCopiesCleanEveryCartExactlyOnce() async throws {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let carts = try (0..<120).map { index in try rows.stuckCart(idle: 3600 + Double(index), version: 1 + index % 4).cart }
        var settings = try cleanupSettings(database, steps: [.stuckCarts])
        settings.stuckCarts.batchSize = 7
        let log = LogRecord()
        let copySettings = settings

        let results = try await withThrowingTaskGroup(of: [String: Int].self) { group in
            for _ in 0..<2 {
                group.addTask {
                    let context = try await makeContext(copySettings, log: log)
                    return try await StuckCartsStep().run(context).counts.named
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(results.map { $0["cleaned"] ?? -1 }.reduce(0, +) == 120)
        #expect(results.allSatisfy { $0["conflicts"] == 0 && $0["failed"] == 0 })
        let logged = log.values("cart_id", of: "cart cleaned")
        #expect(logged.count == 120)
        #expect(Set(logged) == Set(carts.map { $0.uuidString.lowercased() }))
        for (index, cart) in carts.enumerated() {
            let state = try #require(try rows.state(cart))
            #expect(state.status == "completed" && state.version == 2 + index % 4 && state.items == 0)
        }
    }

    @Test func theTimeLimitStopsThePassCleanlyBetweenBatches() async throws {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let carts = try (0..<5).map { index in try rows.stuckCart(idle: 7200 - Double(index) * 60).cart }  // oldest first
        var settings = try cleanupSettings(database, steps: [.stuckCarts])
        settings.stuckCarts.batchSize = 2
        settings.stuckCarts.timeLimit = .nanoseconds(1)  // passed as soon as the first batch is done

        let report = try await runPass(.stuckCarts, settings)

        #expect(report.outcome == .stoppedEarly)
        #expect(report.counts["cleaned"] == 2)
        #expect(try carts.map { try rows.state($0)?.status } == ["completed", "completed", "checkout", "checkout", "checkout"])
        let recorded = try rows.connection.queryFirst(
            "SELECT outcome, counts ->> 'cleaned' AS cleaned FROM checkout_nightly.step_runs WHERE step = 'stuck-carts'"
        ) { "\(try $0.decode("outcome", as: String.self)) \(try $0.decode("cleaned", as: String.self))" }
        #expect(recorded == "stopped_early 2")

        settings.stuckCarts.timeLimit = .seconds(60)
        let next = try await runPass(.stuckCarts, settings)
        #expect(next.outcome == .succeeded)
        #expect(next.counts["cleaned"] == 3)
    }

    /// The order service holds a lock on one item of a cart for longer than the lock timeout: that cart's batch
    /// rolls back whole and is counted as failed; the other batches go on.
    @Test func aBatchThatCannotGetItsLocksRollsBackWholeAndIsCountedAsFailed() async throws {
        let database = try TestDatabase.create()
        let rows = try Fixtures(database)
        let carts = try (0..<3).map { index in try rows.stuckCart(idle: 7200 - Double(index) * 60).cart }
        let orderService = try database.connect()
        try orderService.execute("BEGIN")
        try orderService.execute(
            "SELECT id FROM cart_items WHERE cart_session_id = $1::uuid LIMIT 1 FOR UPDATE", [carts[1]])
        var settings = try cleanupSettings(database, steps: [.stuckCarts])
        settings.stuckCarts.batchSize = 1
        settings.lockTimeout = .milliseconds(100)
        let before = try rows.state(carts[1])
        let log = LogRecord()

        let report = try await runPass(.stuckCarts, settings, log: log)
        try orderService.execute("ROLLBACK")

        #expect(report.outcome == .succeeded)
        #expect(report.counts == Self.zeroCounts.merging(["cleaned": 2, "items_deleted": 4, "failed": 1]) { _, new in new })
        #expect(try rows.state(carts[1]) == before, "nothing of the failed batch is half-written")
        #expect(log.values("cart_ids", of: "batch rolled back, nothing in it changed; its carts are retried next run")
            == [carts[1].uuidString.lowercased()])
        #expect(try await runPass(.stuckCarts, settings).counts["cleaned"] == 1)
    }
}
