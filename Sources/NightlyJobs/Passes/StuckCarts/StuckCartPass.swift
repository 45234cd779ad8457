import Foundation
import NightlyCore
import Postgres

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
        /// Carts whose row the pass cannot use (a NULL version or order id in a production table): left alone.
        var malformed: [UUID] = []
        var cursor: Cursor?
        /// Every row the read returned.
        var rows: Int { carts.count + malformed.count }
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
        var batch = Batch(carts: [])
        _ = try connection.query(
            try queries.statement("passes/stuck_carts_read.sql"), [cutoff, cursor.updatedAt, cursor.id, batchSize]
        ) { row in
            let id: UUID = try row.decode("id")
            batch.cursor = Cursor(updatedAt: try row.decode("updated_at"), id: id)
            do {
                batch.carts.append(StuckCart(
                    id: id, orderID: try row.decode("order_id"), version: try row.decode("version"),
                    updatedAt: try row.decode("updated_at"), orderExists: try row.decode("order_exists"),
                    items: try row.decode("items")))
            } catch let error as PostgresError where error.kind == .decoding {
                batch.malformed.append(id)
            }
        }
        return batch
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

    /// Carts still stuck after the pass, by whether their order exists, and the carts in checkout with an order
    /// but no `updated_at`, which the pass cannot judge and leaves alone.
    func pending() throws -> (orderFound: Int, orderMissing: Int, withoutActivityTime: Int) {
        try connection.queryFirst(try queries.statement("passes/stuck_carts_pending.sql"), [cutoff]) { row in
            (orderFound: try row.decode("order_found"), orderMissing: try row.decode("order_missing"),
             withoutActivityTime: try row.decode("without_activity_time"))
        } ?? (0, 0, 0)
    }
}
