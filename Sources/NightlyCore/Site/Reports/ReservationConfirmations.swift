/// The one row of `reconciliation_failure_rate.sql`: reservation confirmations of the orders placed in the 24
/// hours before the run's clock.
public struct ReservationConfirmations: ReportRow {
    public static let file = "reconciliation_failure_rate"
    public var orders: Int
    public var ordersWithErrors: Int
    public var attempted: Int
    public var failed: Int

    public init(_ record: ReportRecord) throws {
        orders = try record.int("orders")
        ordersWithErrors = try record.int("orders_with_errors")
        attempted = try record.int("attempted")
        failed = try record.int("failed")
    }

    public var succeeded: Int { attempted - failed }

    /// Failed of all confirmations: the reconciliation page's headline and the alert's metric. With no
    /// confirmation it has no value: the page says "no data" and the metric file leaves the sample out.
    public var failureRatio: Ratio { Ratio(failed, of: attempted) }
}
