import Foundation

/// The recovery state measured at the end of a run: what the ledger says per stage (sent, clicked, converted),
/// the money per currency (recovered revenue and discount given, kept apart), carts per stage, codes by state and
/// notifications not yet dispatched.
public struct RecoverySnapshot: Sendable, Equatable {
    /// One message stage's ledger totals.
    public struct StageTotals: Sendable, Equatable {
        public var sent: Int
        public var clicked: Int
        public var converted: Int
        /// Held-out rows of the stage (the holdout's carts), and how many of them an order converted.
        public var heldOut: Int
        public var heldOutConverted: Int

        public init(sent: Int = 0, clicked: Int = 0, converted: Int = 0, heldOut: Int = 0, heldOutConverted: Int = 0) {
            self.sent = sent
            self.clicked = clicked
            self.converted = converted
            self.heldOut = heldOut
            self.heldOutConverted = heldOutConverted
        }
    }

    /// One currency's money.
    public struct Money: Sendable, Equatable {
        /// Order totals of orders credited to a recovery message.
        public var revenue: Decimal
        /// Discount given on orders that used a recovery code.
        public var discount: Decimal

        public init(revenue: Decimal = 0, discount: Decimal = 0) {
            self.revenue = revenue
            self.discount = discount
        }
    }

    /// The names `carts` is keyed by: the latest stage sent to an active cart, `none`, or `abandon`.
    public static let cartStates = ["none"] + RecoveryStage.allCases.map(\.rawValue)
    /// The names `codes` is keyed by.
    public static let codeStates = ["open", "redeemed", "expired"]

    public var stages: [RecoveryStage: StageTotals] = [:]
    public var money: [String: Money] = [:]
    public var carts: [String: Int] = [:]
    public var codes: [String: Int] = [:]
    public var outboxPending = 0
    /// Seconds since the oldest notification not dispatched yet was recorded (0 when there is none).
    public var outboxOldestPendingAge = 0
    /// The age at which the outbox counts as not draining (`outbox_max_pending_age`), exported for the alert.
    public var outboxMaxPendingAge: TimeInterval = StalenessSettings().outboxPendingAge

    public init() {}

    /// The snapshot as metric families: gauges for every value except the message totals, which only grow
    /// (ledger rows are never deleted) and are counters. Every stage, state and seen currency is exported,
    /// zeros included.
    public var metricFamilies: [MetricFamily] {
        func perStage(_ value: (StageTotals) -> Int) -> [MetricFamily.Sample] {
            RecoveryStage.messageStages.map { .init(["stage": $0.rawValue], Double(value(stages[$0] ?? StageTotals()))) }
        }
        func perCurrency(_ value: (Money) -> Decimal) -> [MetricFamily.Sample] {
            money.map { .init(["currency": $0.key], NSDecimalNumber(decimal: value($0.value)).doubleValue) }
        }
        func family(_ name: String, _ kind: MetricFamily.Kind, _ help: String, _ samples: [MetricFamily.Sample])
            -> MetricFamily
        {
            MetricFamily(name: "checkout_nightly_recovery_" + name, help: help, kind: kind, samples: samples)
        }
        return [
            family("messages_total", .counter, "Recovery messages recorded in the recovery ledger, by stage.", perStage(\.sent)),
            family("messages_clicked", .gauge,
                   "Recovery messages whose link was opened (clicked_at set by the storefront), by stage.", perStage(\.clicked)),
            family("messages_converted", .gauge,
                   "Recovery messages credited with an order within the attribution window, by stage.", perStage(\.converted)),
            family("held_out_total", .counter,
                   "Carts of held-out customers recorded at a stage without a message (recovery_holdout_percent), by stage.",
                   perStage(\.heldOut)),
            family("held_out_converted", .gauge,
                   "Held-out rows credited with an order from their cart within the attribution window, by stage.",
                   perStage(\.heldOutConverted)),
            family("recovered_revenue", .gauge,
                   "Total of the orders credited to recovery messages, in units of the currency.", perCurrency(\.revenue)),
            family("discount_given", .gauge,
                   "Discount given on orders that used a recovery code, in units of the currency.", perCurrency(\.discount)),
            family("carts", .gauge,
                   "Active carts by the latest recovery stage they reached (none: no message yet), and carts this batch marked abandoned.",
                   Self.cartStates.map { .init(["stage": $0], Double(carts[$0] ?? 0)) }),
            family("codes", .gauge, "Recovery discount codes by state: open (usable), redeemed, expired unused.",
                   Self.codeStates.map { .init(["state": $0], Double(codes[$0] ?? 0)) }),
            family("outbox_pending", .gauge, "Notifications in the outbox the notification service has not dispatched yet.",
                   [.init([:], Double(outboxPending))]),
            family("outbox_oldest_pending_age_seconds", .gauge,
                   "Age of the oldest notification the notification service has not dispatched yet (0 when none).",
                   [.init([:], Double(outboxOldestPendingAge))]),
            family("outbox_max_pending_age_seconds", .gauge,
                   "The age past which the oldest pending notification means the outbox is not draining (the alert's threshold).",
                   [.init([:], outboxMaxPendingAge)]),
        ]
    }
}
