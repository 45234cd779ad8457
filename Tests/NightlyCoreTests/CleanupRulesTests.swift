import Foundation
import NightlyCore
import Testing

@Suite("Cleanup pass rules")
struct CleanupRulesTests {
    static let order = UUID()
    static let read = StuckCart(id: UUID(), orderID: order, version: 3, updatedAt: "2026-11-25 01:00:00+00", orderExists: true, items: 2)

    static func claimed(
        status: String = "checkout", orderID: UUID? = order, version: Int = 3, orderExists: Bool = true,
        completedByJob: Bool = false
    ) -> ClaimedCart {
        ClaimedCart(
            id: read.id, status: status, orderID: orderID, version: version, orderExists: orderExists,
            completedByJob: completedByJob)
    }

    /// What becomes of one cart read at version 3, given how the claim found it (nil: held elsewhere).
    @Test(arguments: [
        (claimed(), "clean"),
        (nil, "locked elsewhere"),
        (claimed(version: 4), "conflict"),
        (claimed(status: "active"), "conflict"),
        (claimed(orderID: UUID()), "conflict"),
        (claimed(status: "completed", version: 4, completedByJob: true), "already cleaned"),
        (claimed(orderExists: false), "order missing"),
    ] as [(ClaimedCart?, String)])
    func aClaimedCartIsCleanedOnlyWhenUnchangedSinceItWasRead(_ claimed: ClaimedCart?, _ expected: String) {
        let plan = StuckCartBatchPlan(read: [Self.read], claimed: claimed.map { [$0] } ?? [])
        let buckets = [
            ("clean", plan.clean), ("locked elsewhere", plan.lockedElsewhere), ("conflict", plan.conflicts),
            ("already cleaned", plan.alreadyCleaned), ("order missing", plan.orderMissing),
        ]
        #expect(buckets.filter { !$0.1.isEmpty }.map(\.0) == [expected])
    }

    @Test func aCartWhoseOrderWasMissingWhenReadIsNeverClaimed() {
        var orphan = Self.read
        orphan.orderExists = false
        #expect(StuckCartBatchPlan.claimable([orphan, Self.read]) == [Self.read])
        #expect(StuckCartBatchPlan(read: [orphan], claimed: []).orderMissing == [orphan])
        #expect(StuckCartBatchPlan(read: [orphan, Self.read]).clean == [Self.read], "a dry run cleans what has an order")
    }

    @Test func aPlannedCartTheGuardedUpdateDidNotCleanIsAConflict() {
        let other = StuckCart(id: UUID(), orderID: UUID(), version: 1, updatedAt: "2026-11-25 01:00:00+00", orderExists: true, items: 5)
        let plan = StuckCartBatchPlan(read: [Self.read, other])
        let settled = plan.settled(cleaned: [Self.read.id: 1])
        #expect(settled.clean.map(\.id) == [Self.read.id])
        #expect(settled.clean.first?.items == 1, "the items actually deleted")
        #expect(settled.conflicts == [other])
    }

    @Test func countsNameEveryKeyZeroIncluded() {
        var counts = StuckCartCounts()
        #expect(counts.named == [
            "cleaned": 0, "items_deleted": 0, "skipped_order_missing": 0, "skipped_locked": 0,
            "already_cleaned": 0, "conflicts": 0, "failed": 0, "skipped_malformed": 0,
        ])
        var orphan = Self.read
        orphan.orderExists = false
        counts.add(StuckCartBatchPlan(read: [Self.read, orphan]))
        counts.addRolledBack([Self.read])
        #expect(counts.named["cleaned"] == 1)
        #expect(counts.named["items_deleted"] == 2)
        #expect(counts.examined == 3)
        #expect(ExpiredSessionCounts().named == ["deleted": 0, "items_deleted": 0, "left_for_stuck_cart_cleanup": 0, "kept_for_orders": 0])
    }

    @Test func thePlansMetricFamiliesComeFromTheLedger() {
        let history = StepHistory(
            step: "expired-sessions", runs: [.succeeded: 3, .stoppedEarly: 1, .failed: 2], totals: ["deleted": 42])
        let text = MetricExposition.render(
            CleanupMetrics.jobRuns(step: "expired-sessions", history: history)
                + CleanupMetrics.expiredSessionsCleaned(history: history)
                + [CleanupMetrics.pendingCleanup(orderFound: 0, orderMissing: 7)])
        #expect(text.contains("checkout_cleanup_job_executions_total{step=\"expired-sessions\"} 6\n"))
        #expect(text.contains("checkout_cleanup_job_success_total{step=\"expired-sessions\"} 4\n"))
        #expect(text.contains("cart_expired_sessions_cleaned_total 42\n"))
        #expect(text.contains("# TYPE checkout_carts_pending_cleanup gauge\n"))
        #expect(text.contains("checkout_carts_pending_cleanup{order=\"missing\"} 7\n"))
        #expect(CleanupMetrics.jobRuns(step: "stuck-carts", history: nil).isEmpty, "no counter without the ledger")
    }

    @Test func settingsDefaultToThePlanAndCanBeChanged() throws {
        let defaults = Settings()
        #expect(defaults.stuckCarts.gracePeriod == .seconds(600))
        #expect(defaults.stuckCarts.batchSize == 100)
        #expect(defaults.stuckCarts.timeLimit == .seconds(60))
        #expect(defaults.expiredSessions.retention == .seconds(7 * 86400))
        #expect(defaults.expiredSessions.batchSize == 1000)
        #expect(defaults.expiredSessions.timeLimit == .seconds(300))
        let file = try ConfigFile(
            path: "/etc/checkout-nightly.conf",
            text: "stuck_cart_grace_period = 30m\nstuck_cart_batch_size = 250\nsession_retention = 14d\n")
        let settings = try SettingsResolver(knownSteps: ["stuck-carts", "expired-sessions"]).resolve(
            flags: ["only": "stuck-carts,expired-sessions"], environment: ["CHECKOUT_NIGHTLY_EXPIRED_SESSION_TIME_LIMIT": "90s"],
            file: file)
        #expect(settings.stuckCarts.gracePeriod == .seconds(1800))
        #expect(settings.stuckCarts.batchSize == 250)
        #expect(settings.expiredSessions.retention == .seconds(14 * 86400))
        #expect(settings.expiredSessions.timeLimit == .seconds(90))
        let error = #expect(throws: ConfigurationError.self) {
            try SettingsResolver().resolve(flags: [:], environment: ["CHECKOUT_NIGHTLY_STUCK_CART_TIME_LIMIT": "soon"], file: nil)
        }
        #expect(error?.setting == "stuck_cart_time_limit")
        #expect(error?.origin == .environment("CHECKOUT_NIGHTLY_STUCK_CART_TIME_LIMIT"))
    }
}
