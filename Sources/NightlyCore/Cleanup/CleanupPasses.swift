import Foundation

// The rules of the two cleanup passes (DESIGN.md §4; plan tasks 1.2 and 2.3), kept apart from the SQL that
// applies them so that they can be read and tested without a database.

/// A cart in `checkout` with an order, untouched for the grace period, as the stuck-cart pass read it
/// (without a lock). `version` is the optimistic-lock value the cart must still have when it is cleaned.
public struct StuckCart: Sendable, Equatable {
    public var id: UUID
    public var orderID: UUID
    public var version: Int
    /// `updated_at` as the server wrote it (exact): the clean re-checks it, since a change that does not bump
    /// `version` still moves it.
    public var updatedAt: String
    public var orderExists: Bool
    /// How many items the cart holds (what cleaning it deletes).
    public var items: Int

    public init(id: UUID, orderID: UUID, version: Int, updatedAt: String, orderExists: Bool, items: Int) {
        self.id = id
        self.orderID = orderID
        self.version = version
        self.updatedAt = updatedAt
        self.orderExists = orderExists
        self.items = items
    }
}

/// A cart of a batch as the claim found it, its row lock now held by the pass.
public struct ClaimedCart: Sendable, Equatable {
    public var id: UUID
    public var status: String
    public var orderID: UUID?
    public var version: Int
    public var orderExists: Bool
    /// Completed with `cleaned_by_job` set: another copy of the pass cleaned it after this one read it.
    public var completedByJob: Bool

    public init(id: UUID, status: String, orderID: UUID?, version: Int, orderExists: Bool, completedByJob: Bool) {
        self.id = id
        self.status = status
        self.orderID = orderID
        self.version = version
        self.orderExists = orderExists
        self.completedByJob = completedByJob
    }
}

/// What the stuck-cart pass does with each cart of one batch.
///
/// A cart is cleaned only when its order exists and, once locked, it is unchanged since it was read: same
/// version, still in checkout with the same order. A change made in between (by the order service, whose
/// optimistic lock bumps `version`) wins: the cart is left as it is, counted as a conflict, and read afresh next
/// run. Carts another transaction holds are skipped, never waited for.
public struct StuckCartBatchPlan: Sendable, Equatable {
    /// Carts to clean, with the version they must still have.
    public var clean: [StuckCart] = []
    /// Carts whose order does not exist: never touched, left for a person to look at.
    public var orderMissing: [StuckCart] = []
    /// Carts another transaction held when the pass tried to lock them (the order service mid-change, or
    /// another copy of the pass).
    public var lockedElsewhere: [StuckCart] = []
    /// Carts another copy of the pass cleaned between this copy's read and its claim.
    public var alreadyCleaned: [StuckCart] = []
    /// Carts changed by someone else between the read and the claim.
    public var conflicts: [StuckCart] = []

    /// Plans a dry run: every cart read whose order exists would be cleaned.
    public init(read: [StuckCart]) {
        for cart in read {
            if cart.orderExists { clean.append(cart) } else { orderMissing.append(cart) }
        }
    }

    /// Plans a batch from what was read and what the claim then locked, in any order.
    public init(read: [StuckCart], claimed: [ClaimedCart]) {
        let locked = Dictionary(claimed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for cart in read {
            guard cart.orderExists else {
                orderMissing.append(cart)
                continue
            }
            guard let now = locked[cart.id] else {
                lockedElsewhere.append(cart)
                continue
            }
            let unchanged = now.version == cart.version && now.status == "checkout" && now.orderID == cart.orderID
            if !unchanged {
                if now.completedByJob { alreadyCleaned.append(cart) } else { conflicts.append(cart) }
            } else if !now.orderExists {
                orderMissing.append(cart)
            } else {
                clean.append(cart)
            }
        }
    }

    /// The carts that the claim should lock: those whose order exists.
    public static func claimable(_ read: [StuckCart]) -> [StuckCart] { read.filter(\.orderExists) }

    /// The plan after the version-guarded update: `cleaned` maps each cart it cleaned to the items it deleted.
    /// A planned cart the update did not clean had changed after all, and becomes a conflict.
    public func settled(cleaned: [UUID: Int]) -> StuckCartBatchPlan {
        var plan = self
        plan.clean = clean.compactMap { cart in
            cleaned[cart.id].map { items in
                var cart = cart
                cart.items = items
                return cart
            }
        }
        plan.conflicts += clean.filter { cleaned[$0.id] == nil }
        return plan
    }
}

/// What the stuck-cart pass counts in a run.
public struct StuckCartCounts: StepCounts {
    public var cleaned = 0
    public var itemsDeleted = 0
    public var skippedOrderMissing = 0
    public var skippedLocked = 0
    public var alreadyCleaned = 0
    public var conflicts = 0
    /// Carts of batches that were rolled back (a lock or statement timeout), retried next run.
    public var failed = 0
    /// Carts whose row the pass cannot use (a NULL version, or a NULL updated_at on a cart in checkout with an
    /// order): left alone, named or counted in the log.
    public var skippedMalformed = 0

    public init() {}

    /// Adds a settled batch (in a dry run: the plan, whose `clean` carts would be cleaned).
    public mutating func add(_ plan: StuckCartBatchPlan) {
        cleaned += plan.clean.count
        itemsDeleted += plan.clean.reduce(0) { $0 + $1.items }
        skippedOrderMissing += plan.orderMissing.count
        skippedLocked += plan.lockedElsewhere.count
        alreadyCleaned += plan.alreadyCleaned.count
        conflicts += plan.conflicts.count
    }

    /// Adds a batch whose transaction was rolled back: its carts with an order failed (they are retried next
    /// run), those without one were skipped as always.
    public mutating func addRolledBack(_ read: [StuckCart]) {
        var plan = StuckCartBatchPlan(read: read)
        failed += plan.clean.count
        plan.clean = []
        add(plan)
    }

    /// Every cart the pass looked at, whatever became of it.
    public var examined: Int {
        cleaned + skippedOrderMissing + skippedLocked + alreadyCleaned + conflicts + failed + skippedMalformed
    }
}

/// What the expired-session pass counts in a run.
public struct ExpiredSessionCounts: StepCounts {
    /// Sessions deleted (or, in a dry run, that would be).
    public var deleted = 0
    public var itemsDeleted = 0
    /// Expired carts still in checkout with an order: the stuck-cart pass owns them, so they are left alone.
    public var leftForStuckCartCleanup = 0
    /// Expired sessions an order references (`orders.cart_session_id`): kept for the order's history.
    public var keptForOrders = 0

    public init() {}
}

/// The plan's metric families for the cleanup passes, beside the generic per-step ones (`StepMetrics`).
/// The same family names and help texts appear in both passes' files, told apart by the `step` label, so that
/// node_exporter can merge them.
public enum CleanupMetrics {
    /// `checkout_cleanup_job_executions_total` and `checkout_cleanup_job_success_total` (task 1.2.3), counted
    /// from the run ledger so that they survive the loss of the machine that ran the batch.
    public static func jobRuns(step: String, history: StepHistory?) -> [MetricFamily] {
        guard let history else { return [] }
        let labels = ["step": step]
        return [
            MetricFamily(
                name: "checkout_cleanup_job_executions_total",
                help: "Runs of the cleanup pass recorded in the run ledger, whatever their outcome.", kind: .counter,
                samples: [.init(labels, Double(history.runs.values.reduce(0, +)))]),
            MetricFamily(
                name: "checkout_cleanup_job_success_total",
                help: "Runs of the cleanup pass recorded in the run ledger that did not fail.", kind: .counter,
                samples: [.init(labels, Double(history.runs.filter { $0.key.isSuccess }.values.reduce(0, +)))]),
        ]
    }

    /// `checkout_cleanup_job_carts_processed`: a gauge of the carts the pass's last run looked at (task 1.2.3
    /// names no suffix; it is a per-run value, so a gauge).
    public static func cartsProcessed(step: String, _ carts: Int) -> MetricFamily {
        MetricFamily(
            name: "checkout_cleanup_job_carts_processed",
            help: "Carts the cleanup pass's last run looked at, whatever became of them.", kind: .gauge,
            samples: [.init(["step": step], Double(carts))])
    }

    /// `checkout_carts_pending_cleanup`: carts in checkout with an order past the grace period, after the pass,
    /// by whether their order exists. Task 1.1.2 calls it `checkout_carts_pending_cleanup_gauge`; Prometheus
    /// naming leaves the type out of the name, so the suffix is dropped.
    public static func pendingCleanup(orderFound: Int, orderMissing: Int) -> MetricFamily {
        MetricFamily(
            name: "checkout_carts_pending_cleanup",
            help: "Carts in checkout with an order, untouched for the grace period, still waiting for cleanup after the stuck-cart pass, by whether the order exists.",
            kind: .gauge,
            samples: [.init(["order": "found"], Double(orderFound)), .init(["order": "missing"], Double(orderMissing))])
    }

    /// `cart_expired_sessions_cleaned_total` (task 2.3.4): sessions the expired-session pass deleted, over every
    /// run in the ledger.
    public static func expiredSessionsCleaned(history: StepHistory?) -> [MetricFamily] {
        guard let history else { return [] }
        return [
            .single(
                "cart_expired_sessions_cleaned_total", .counter,
                "Expired cart sessions the expired-session pass deleted, over every run in the run ledger.",
                Double(history.totals["deleted"] ?? 0))
        ]
    }
}
