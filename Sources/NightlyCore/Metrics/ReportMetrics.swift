/// The snapshot gauges of the reports' metric file: what the reconciliation figures say at the run's clock.
///
/// The plan names counters for these (`checkout_reservation_confirmations_total{status}`,
/// `checkout_orders_with_reservation_errors_total`), written by the order service as confirmations happen. A
/// batch that reads a window of orders once a night measures levels, not events: the same order is counted again
/// by the next run and leaves the window a day later, and the retry job (task 2.6) removes errors it resolves, so
/// the values go down. They are gauges, named without `_total` (docs/metrics.md).
public enum ReportMetrics {
    public static func families(_ data: ReportData) throws -> [MetricFamily] {
        let confirmations = try data.table("reconciliation_failure_rate").single()
        let totals = try data.table("reconciliation_totals").single()
        let attempted = try confirmations.int("attempted")
        let failed = try confirmations.int("failed")
        return [
            MetricFamily(
                name: "checkout_reservation_confirmations",
                help: "Inventory reservation confirmations of the orders placed in the 24 hours before the run, by status.",
                kind: .gauge,
                samples: [.init(["status": "failed"], Double(failed)), .init(["status": "succeeded"], Double(attempted - failed))]),
            .single(
                "checkout_reservation_confirmation_failure_ratio", .gauge,
                "Failed confirmations over all confirmations of the orders placed in the 24 hours before the run (0 when there were none).",
                attempted > 0 ? Double(failed) / Double(attempted) : 0),
            MetricFamily(
                name: "checkout_orders_with_reservation_errors",
                help: "Orders that recorded reservation confirmation errors, by how recently they were placed.",
                kind: .gauge,
                samples: [
                    .init(["window": "24h"], Double(try confirmations.int("orders_with_errors"))),
                    .init(["window": "7d"], Double(try totals.int("affected_orders_7d"))),
                    .init(["window": "all"], Double(try totals.int("affected_orders"))),
                ]),
            .single(
                "checkout_orders_with_malformed_reservation_metadata", .gauge,
                "Orders whose reservation error metadata is malformed (not an array of complete error objects).",
                Double(try totals.int("malformed_orders"))),
        ]
    }
}
