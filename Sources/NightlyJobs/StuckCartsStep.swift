import Foundation
import Logging
import NightlyCore
import Postgres

/// The stuck-cart cleanup pass (`run --only stuck-carts`, plan task 1.2): completes carts left in checkout after
/// their order was created, in batches, each in its own transaction, within a time limit. See docs/passes.md.
public struct StuckCartsStep: NightlyStep {
    public let name = StepName.stuckCarts
    public let changesData = true

    public init() {}

    public func run(_ context: RunContext) throws -> StepResult {
        let settings = context.settings
        let pass = StuckCartPass(
            connection: context.connection, queries: context.queries,
            cutoff: context.now.addingTimeInterval(-settings.stuckCartGracePeriod.timeInterval),
            cleanedAt: context.now, batchSize: settings.stuckCartBatchSize)
        let logger = context.logger
        var counts = StuckCartCounts()
        var wouldClean: [UUID] = []
        var cursor = StuckCartPass.Cursor.start

        let outcome = try BatchLoop(timeLimit: settings.stuckCartTimeLimit).run {
            let batch = try pass.read(after: cursor)
            guard let last = batch.cursor else { return false }
            cursor = last
            for cart in batch.carts where !cart.orderExists {
                logger.warning(
                    "cart skipped: its order does not exist", metadata: Self.metadata(cart, ["step": "\(name.rawValue)"]))
            }
            if settings.dryRun {
                let plan = StuckCartBatchPlan(read: batch.carts)
                counts.add(plan)
                wouldClean += plan.clean.prefix(max(0, PassLog.sampleSize - wouldClean.count)).map(\.id)
            } else {
                do {
                    let plan = try pass.clean(batch.carts)
                    counts.add(plan)
                    log(plan, logger)
                } catch let error as PostgresError where error.isTimeout || error.isTransient {
                    counts.addRolledBack(batch.carts)
                    logger.error(
                        "batch rolled back, nothing in it changed; its carts are retried next run",
                        metadata: [
                            "step": "\(name.rawValue)", "error": "\(error)",
                            "cart_ids": "\(PassLog.ids(StuckCartBatchPlan.claimable(batch.carts).map(\.id)))",
                        ])
                }
            }
            context.progress.update("\(name.rawValue): \(counts.examined) carts examined, \(counts.cleaned) cleaned")
            return batch.carts.count == settings.stuckCartBatchSize
        }
        context.progress.finish()
        if settings.dryRun {
            logger.info(
                "dry run: nothing changed",
                metadata: [
                    "step": "\(name.rawValue)", "would_clean": "\(counts.cleaned)", "would_delete_items": "\(counts.itemsDeleted)",
                    "first_cart_ids": "\(PassLog.ids(wouldClean))",
                ])
        }
        let pending = try pass.pending()
        context.output.metrics[name.rawValue, default: []] += [
            CleanupMetrics.cartsProcessed(step: name.rawValue, counts.examined),
            CleanupMetrics.pendingCleanup(orderFound: pending.orderFound, orderMissing: pending.orderMissing),
        ]
        return StepResult(outcome: outcome, counts: counts.dictionary)
    }

    public func metrics(for report: StepReport, history: StepHistory?) -> [MetricFamily] {
        CleanupMetrics.jobRuns(step: name.rawValue, history: history)
    }

    /// Logs what a committed batch did: each cart cleaned (cart id, order id), each conflict and each skip.
    private func log(_ plan: StuckCartBatchPlan, _ logger: Logger) {
        let step: Logger.Metadata = ["step": "\(name.rawValue)"]
        for cart in plan.clean {
            logger.info("cart cleaned", metadata: Self.metadata(cart, step.merging(["items_deleted": "\(cart.items)"]) { a, _ in a }))
        }
        for cart in plan.conflicts {
            logger.notice(
                "cart changed since it was read; the other change wins and the cart is read afresh next run",
                metadata: Self.metadata(cart, step))
        }
        for cart in plan.lockedElsewhere {
            logger.info(
                "cart held by another transaction; skipped until the next run", metadata: Self.metadata(cart, step))
        }
    }

    private static func metadata(_ cart: StuckCart, _ base: Logger.Metadata) -> Logger.Metadata {
        base.merging([
            "cart_id": "\(cart.id.uuidString.lowercased())", "order_id": "\(cart.orderID.uuidString.lowercased())",
            "version_read": "\(cart.version)",
        ]) { a, _ in a }
    }
}

/// The stuck-cart pass's statements (`queries/passes/stuck_carts_*.sql`), one batch at a time: read without
/// locks, then claim and clean in one transaction. Apart from the step so that a test can act between the read
/// and the claim, as the order service would.
struct StuckCartPass {
    /// Where the previous batch ended, in the read's order (`updated_at` kept as the server's text, exact).
    struct Cursor {
        var updatedAt: String
        var id: UUID

        /// Before every cart.
        static let start = Cursor(updatedAt: "-infinity", id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
    }

    /// One batch as read, and the cursor after it (nil when nothing was left).
    struct Batch {
        var carts: [StuckCart]
        var cursor: Cursor?
    }

    let connection: Connection
    let queries: QueryLibrary
    /// Carts untouched since before this are stuck (now − grace period).
    let cutoff: Date
    /// The time written into `metadata.cleaned_by_job_at`.
    let cleanedAt: Date
    let batchSize: Int

    /// Reads the next batch after `cursor`, taking no lock.
    func read(after cursor: Cursor = .start) throws -> Batch {
        var last: Cursor?
        let carts = try connection.query(
            try queries.statement("passes/stuck_carts_read.sql"), [cutoff, cursor.updatedAt, cursor.id, batchSize]
        ) { row in
            last = Cursor(updatedAt: try row.decode("updated_at"), id: try row.decode("id"))
            return StuckCart(
                id: try row.decode("id"), orderID: try row.decode("order_id"), version: try row.decode("version"),
                updatedAt: try row.decode("updated_at"), orderExists: try row.decode("order_exists"),
                items: try row.decode("items"))
        }
        return Batch(carts: carts, cursor: last)
    }

    /// In one transaction: locks the batch's carts that have an order (skipping carts another transaction
    /// holds), plans the batch against what was read, and cleans the carts still at the version read.
    /// Returns the plan settled against what the clean statement changed.
    func clean(_ carts: [StuckCart]) throws -> StuckCartBatchPlan {
        try connection.transaction { connection in
            let claimable = StuckCartBatchPlan.claimable(carts)
            let claimed = claimable.isEmpty ? [] : try connection.query(
                try queries.statement("passes/stuck_carts_claim.sql"), [claimable.map(\.id)]
            ) { row in
                ClaimedCart(
                    id: try row.decode("id"), status: try row.decode("status"),
                    orderID: try row.decodeIfPresent("order_id"), version: try row.decode("version"),
                    orderExists: try row.decode("order_exists"), completedByJob: try row.decode("completed_by_job"))
            }
            let plan = StuckCartBatchPlan(read: carts, claimed: claimed)
            var cleaned: [UUID: Int] = [:]
            if !plan.clean.isEmpty {
                _ = try connection.query(
                    try queries.statement("passes/stuck_carts_clean.sql"),
                    [plan.clean.map(\.id), plan.clean.map(\.version), cleanedAt, plan.clean.map(\.updatedAt)]
                ) { row in cleaned[try row.decode("id")] = try row.decode("items", as: Int.self) }
            }
            return plan.settled(cleaned: cleaned)
        }
    }

    /// Carts still stuck after the pass, by whether their order exists.
    func pending() throws -> (orderFound: Int, orderMissing: Int) {
        try connection.queryFirst(try queries.statement("passes/stuck_carts_pending.sql"), [cutoff]) { row in
            (orderFound: try row.decode("order_found"), orderMissing: try row.decode("order_missing"))
        } ?? (0, 0)
    }
}
