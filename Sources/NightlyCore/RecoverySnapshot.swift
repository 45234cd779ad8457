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

        public init(sent: Int = 0, clicked: Int = 0, converted: Int = 0) {
            self.sent = sent
            self.clicked = clicked
            self.converted = converted
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
        return [
            MetricFamily(
                name: "checkout_nightly_recovery_messages_total",
                help: "Recovery messages recorded in the recovery ledger, by stage.", kind: .counter,
                samples: perStage(\.sent)),
            MetricFamily(
                name: "checkout_nightly_recovery_messages_clicked",
                help: "Recovery messages whose link was opened (clicked_at set by the storefront), by stage.",
                kind: .gauge, samples: perStage(\.clicked)),
            MetricFamily(
                name: "checkout_nightly_recovery_messages_converted",
                help: "Recovery messages credited with an order within the attribution window, by stage.",
                kind: .gauge, samples: perStage(\.converted)),
            MetricFamily(
                name: "checkout_nightly_recovery_recovered_revenue",
                help: "Total of the orders credited to recovery messages, in units of the currency.", kind: .gauge,
                samples: perCurrency(\.revenue)),
            MetricFamily(
                name: "checkout_nightly_recovery_discount_given",
                help: "Discount given on orders that used a recovery code, in units of the currency.", kind: .gauge,
                samples: perCurrency(\.discount)),
            MetricFamily(
                name: "checkout_nightly_recovery_carts",
                help: "Active carts by the latest recovery stage they reached (none: no message yet), and carts this batch marked abandoned.",
                kind: .gauge, samples: Self.cartStates.map { .init(["stage": $0], Double(carts[$0] ?? 0)) }),
            MetricFamily(
                name: "checkout_nightly_recovery_codes",
                help: "Recovery discount codes by state: open (usable), redeemed, expired unused.", kind: .gauge,
                samples: Self.codeStates.map { .init(["state": $0], Double(codes[$0] ?? 0)) }),
            .single(
                "checkout_nightly_recovery_outbox_pending", .gauge,
                "Notifications in the outbox the notification service has not dispatched yet.", Double(outboxPending)),
        ]
    }
}
