/// The snapshot gauges of the reports' metric file: what the reconciliation figures say at the run's clock.
///
/// The plan names counters for these (`checkout_reservation_confirmations_total{status}`,
/// `checkout_orders_with_reservation_errors_total`), written by the order service as confirmations happen. A
/// batch that reads a window of orders once a night measures levels, not events: the same order is counted again
/// by the next run and leaves the window a day later, and the retry job (task 2.6) removes errors it resolves, so
/// the values go down. They are gauges, named without `_total` (docs/metrics.md).
public enum ReportMetrics {
    /// The families of `reports`. The failure ratio is `ReservationConfirmations.failureRatio`, the figure the
    /// reconciliation page shows; with no confirmation in the 24 hours it has no value and its sample is left out
    /// (the page says "no data"): a 0 would draw a perfect rate where nothing was measured, and the alert
    /// (`ratio > 0.05`) stays quiet either way, since failures without confirmations cannot occur.
    public static func families(_ reports: Reports) -> [MetricFamily] {
        let confirmations = reports.confirmations
        let totals = reports.reconciliationTotals
        return [
            MetricFamily(
                name: "checkout_reservation_confirmations",
                help: "Inventory reservation confirmations of the orders placed in the 24 hours before the run, by status.",
                kind: .gauge,
                samples: [.init(["status": "failed"], Double(confirmations.failed)),
                          .init(["status": "succeeded"], Double(confirmations.succeeded))]),
            MetricFamily(
                name: "checkout_reservation_confirmation_failure_ratio",
                help: "Failed confirmations over all confirmations of the orders placed in the 24 hours before the run (absent when there were none).",
                kind: .gauge,
                samples: confirmations.failureRatio.value.map { [.init([:], $0)] } ?? []),
            MetricFamily(
                name: "checkout_orders_with_reservation_errors",
                help: "Orders that recorded reservation confirmation errors, by how recently they were placed.",
                kind: .gauge,
                samples: [
                    .init(["window": "24h"], Double(confirmations.ordersWithErrors)),
                    .init(["window": "7d"], Double(totals.affectedOrders7d)),
                    .init(["window": "all"], Double(totals.affectedOrders)),
                ]),
            .single(
                "checkout_orders_with_malformed_reservation_metadata", .gauge,
                "Orders whose reservation error metadata is malformed (not an array of complete error objects).",
                Double(totals.malformedOrders)),
        ]
    }
}
