/// The plan's success metrics ("Success Metrics" section) and their targets. Each is a ratio whose numerator and
/// denominator come from `queries/reports/overview_success_metrics.sql` (and `overview_recovery_rate.sql`);
/// the SQL comments and docs/dashboards.md define exactly which rows count.
public struct SuccessMetric: Sendable, Equatable {
    /// How the value is compared with the target.
    public enum Comparison: Sendable, Equatable {
        case atLeast, atMost, below, above

        var symbol: String {
            switch self {
            case .atLeast: "≥"
            case .atMost: "≤"
            case .below: "<"
            case .above: ">"
            }
        }
    }

    /// The `metric` value in the SQL result.
    public var key: String
    public var name: String
    /// Which rows count, in a sentence; `{days}` is replaced by the report window.
    public var definition: String
    public var target: Double
    public var comparison: Comparison

    /// Whether `ratio` meets the target.
    public func isMet(by ratio: Double) -> Bool {
        switch comparison {
        case .atLeast: ratio >= target
        case .atMost: ratio <= target
        case .below: ratio < target
        case .above: ratio > target
        }
    }

    /// `85 %`, `0.1 %`.
    public var targetPercent: String { Formatting.percent(target, digits: target < 0.01 ? 1 : 0) }

    /// `≥ 85 %`, `< 0.1 %`.
    public var targetText: String { "\(comparison.symbol) \(targetPercent)" }

    /// The checkout success rate, which the overview also draws per day against its target.
    public static let checkoutSuccess = SuccessMetric(
        key: "checkout_success", name: "Checkout success rate",
        definition: "Carts whose checkout started in the last {days} days that have an order.",
        target: 0.85, comparison: .atLeast)

    /// Every metric, in the order the overview lists them.
    public static let catalogue: [SuccessMetric] = [
        checkoutSuccess,
        SuccessMetric(
            key: "cart_abandonment", name: "Cart abandonment",
            definition: "Carts created in the last {days} days (and at least a day old) holding items or an order, that have no order.",
            target: 0.20, comparison: .atMost),
        SuccessMetric(
            key: "stock_error_rate", name: "Stock error rate",
            definition: "Carts created in the last {days} days holding items, with at least one item whose stock check failed.",
            target: 0.02, comparison: .atMost),
        SuccessMetric(
            key: "cleanup_failure_rate", name: "Cart cleanup failure rate",
            definition: "Orders placed in the last {days} days whose cart the order service did not clean up (the stuck-cart pass had to, or it is still stuck).",
            target: 0.01, comparison: .below),
        SuccessMetric(
            key: "optimistic_lock_conflicts", name: "Optimistic-lock conflicts",
            definition: "Version-checked cart writes of the stuck-cart pass in the last {days} days that lost the version check.",
            target: 0.001, comparison: .below),
        SuccessMetric(
            key: "recovery_rate", name: "Cart recovery rate",
            definition: "Carts sent a recovery message in the last {days} days that converted.",
            target: 0.10, comparison: .above),
        SuccessMetric(
            key: "manual_reconciliation", name: "No manual reconciliation needed",
            definition: "Failed reservation confirmations the retry pass took in over the last {days} days (and older ones still open) that it gave up on and wait for a person.",
            target: 0, comparison: .atMost),
    ]
}
