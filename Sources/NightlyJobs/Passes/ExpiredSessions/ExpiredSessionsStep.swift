import Foundation
import Logging
import NightlyCore
import Postgres

/// The expired-session cleanup pass (`run --only expired-sessions`, plan task 2.3): deletes sessions expired for
/// longer than the retention, with their items, in bounded batches, each its own short transaction, within a time
/// limit. Carts in checkout with an order are left to the stuck-cart pass. See docs/passes.md.
public struct ExpiredSessionsStep: NightlyStep {
    public let name = StepName.expiredSessions
    public let kind = StepKind.pass
    public let contract = [
        "cart_sessions": ["id", "status", "order_id", "expires_at"],
        "cart_items": ["cart_session_id"],
    ]
    public let settingsGroups: [any SettingsGroup.Type] = [ExpiredSessionSettings.self]

    public init() {}

    public func run(_ context: StepContext) async throws -> StepResult<ExpiredSessionCounts> {
        let settings = context.settings
        let cutoff = context.now.addingTimeInterval(-settings.expiredSessions.retention.timeInterval)
        let metadata: Logger.Metadata = ["step": "\(name.rawValue)"]
        var counts = ExpiredSessionCounts()

        if settings.dryRun {
            let tally = try tally(context, cutoff: cutoff, listing: PassLog.sampleSize)
            counts.deleted = tally.sessions
            counts.itemsDeleted = tally.items
            counts.leftForStuckCartCleanup = tally.left
            counts.keptForOrders = tally.keptForOrders
            context.logger.info(
                "dry run: nothing changed",
                metadata: metadata.merging([
                    "would_delete_sessions": "\(tally.sessions)", "would_delete_items": "\(tally.items)",
                    "first_session_ids": "\(PassLog.ids(tally.firstIDs))",
                    "left_for_stuck_cart_cleanup": "\(tally.left)",
                ]) { a, _ in a })
            return StepResult(counts: counts)
        }

        let delete = try context.queries.statement("passes/expired_sessions_delete.sql")
        let batchSize = settings.expiredSessions.batchSize
        let outcome = try BatchLoop(timeLimit: settings.expiredSessions.timeLimit).run {
            let deleted = try context.connection.transaction { connection in
                try connection.query(delete, [cutoff, batchSize]) { row in
                    (id: try row.decode("id", as: UUID.self), items: try row.decode("items", as: Int.self))
                }
            }
            counts.deleted += deleted.count
            counts.itemsDeleted += deleted.reduce(0) { $0 + $1.items }
            if !deleted.isEmpty {
                context.logger.info(
                    "expired sessions deleted",
                    metadata: metadata.merging([
                        "sessions": "\(deleted.count)", "items": "\(deleted.reduce(0) { $0 + $1.items })",
                        "first_session_ids": "\(PassLog.ids(deleted.prefix(PassLog.sampleSize).map(\.id)))",
                    ]) { a, _ in a })
            }
            context.progress.update("\(name.rawValue): \(counts.deleted) sessions deleted")
            return deleted.count == batchSize
        }
        context.progress.finish()
        let after = try tally(context, cutoff: cutoff, listing: 0)
        counts.leftForStuckCartCleanup = after.left
        counts.keptForOrders = after.keptForOrders
        if after.sessions > 0 {
            context.logger.info(
                "expired sessions remain for the next run (held by another transaction, or the time limit passed)",
                metadata: metadata.merging(["sessions": "\(after.sessions)"]) { a, _ in a })
        }
        return StepResult(outcome: outcome, counts: counts)
    }

    public func metrics(for report: StepReport, history: StepHistory?) -> [MetricFamily] {
        CleanupMetrics.jobRuns(step: name.rawValue, history: history)
            + CleanupMetrics.expiredSessionsCleaned(history: history)
    }

    /// What `expired_sessions_tally.sql` finds before `cutoff`, with the first `listing` ids it would delete.
    private func tally(_ context: StepContext, cutoff: Date, listing: Int) throws
        -> (sessions: Int, items: Int, left: Int, keptForOrders: Int, firstIDs: [UUID])
    {
        try context.connection.queryFirst(
            try context.queries.statement("passes/expired_sessions_tally.sql"), [cutoff, listing]
        ) { row in
            (
                sessions: try row.decode("sessions"), items: try row.decode("items"),
                left: try row.decode("left_for_stuck_cart_cleanup"), keptForOrders: try row.decode("kept_for_orders"),
                firstIDs: try row.decodeIfPresent("first_ids", as: [UUID].self) ?? []
            )
        } ?? (0, 0, 0, 0, [])
    }
}

extension StepName {
    public static let expiredSessions: StepName = "expired-sessions"
}
