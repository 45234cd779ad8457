import Foundation
import Logging
import NightlyCore
import Postgres

/// The stuck-cart cleanup pass (`run --only stuck-carts`, plan task 1.2): completes carts left in checkout after
/// their order was created, in batches, each in its own transaction, within a time limit. See docs/passes.md.
public struct StuckCartsStep: NightlyStep {
    public let name = StepName.stuckCarts
    public let kind = StepKind.pass
    public let contract = [
        "cart_sessions": ["id", "status", "order_id", "version", "updated_at", "is_active", "metadata"],
        "cart_items": ["cart_session_id"],
        "orders": ["id"],
    ]
    public let settingsGroups: [any SettingsGroup.Type] = [StuckCartSettings.self]

    public init() {}

    public func run(_ context: StepContext) async throws -> StepResult<StuckCartCounts> {
        let settings = context.settings
        let pass = StuckCartPass(
            connection: context.connection, queries: context.queries,
            cutoff: context.now.addingTimeInterval(-settings.stuckCarts.gracePeriod.timeInterval),
            cleanedAt: context.now, batchSize: settings.stuckCarts.batchSize)
        let logger = context.logger
        var counts = StuckCartCounts()
        var wouldClean: [UUID] = []
        var cursor = StuckCartPass.Cursor.start

        let outcome = try BatchLoop(timeLimit: settings.stuckCarts.timeLimit).run {
            let batch = try pass.read(after: cursor)
            guard let last = batch.cursor else { return false }
            cursor = last
            if !batch.malformed.isEmpty {
                counts.skippedMalformed += batch.malformed.count
                logger.warning(
                    "carts skipped: a column the pass needs is NULL or of the wrong type; the other carts go on",
                    metadata: ["step": "\(name.rawValue)", "cart_ids": "\(PassLog.ids(batch.malformed))"])
            }
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
            return batch.rows == settings.stuckCarts.batchSize
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
        if pending.withoutActivityTime > 0 {
            counts.skippedMalformed += pending.withoutActivityTime
            logger.warning(
                "carts in checkout with an order but no updated_at skipped: the pass cannot tell how long they have waited; the other carts go on",
                metadata: ["step": "\(name.rawValue)", "carts": "\(pending.withoutActivityTime)"])
        }
        context.metrics.add(
            [
                CleanupMetrics.cartsProcessed(step: name.rawValue, counts.examined),
                CleanupMetrics.pendingCleanup(orderFound: pending.orderFound, orderMissing: pending.orderMissing),
            ], for: name)
        return StepResult(outcome: outcome, counts: counts)
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

extension StepName {
    public static let stuckCarts: StepName = "stuck-carts"
}
