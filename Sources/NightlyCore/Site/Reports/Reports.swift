/// Every report query of one run, decoded once into typed rows (one `ReportRow` type per `queries/reports/*.sql`
/// file), with the figures derived from them. Pages and the reports' metric file read only this, so a figure
/// shown on a page and exported as a metric is computed in one place.
public struct Reports: Sendable {
    public var freshness: Freshness
    public var successMetricRows: [SuccessMetricRow]
    public var recoveryRate: RecoveryRate
    public var manualReconciliation: ManualReconciliation
    public var checkoutSuccessTrend: [CheckoutSuccessDay]

    public var confirmations: ReservationConfirmations
    public var reconciliationTotals: ReconciliationTotals
    public var errorTrend: [ReservationErrorDay]
    public var failureReasons: [FailureReasonRow]
    public var failingProducts: [FailingProductRow]
    public var errorOrders: [ReservationErrorRow]
    public var malformedOrders: [MalformedOrderRow]

    public var retryTotals: RetryTotals
    public var retryPending: [RetryPendingRow]
    public var retryConfirmed: [RetryConfirmedRow]
    public var retryExhausted: [RetryExhaustedRow]

    public var checkoutTime: CheckoutTime
    public var funnel: Funnel
    public var cartValues: [CartValueRow]
    public var abandonedProducts: [AbandonedProductRow]
    public var recoveryStages: [RecoveryStageRow]
    public var recoveryRevenue: [RecoveryRevenueRow]
    public var recoveryLift: [RecoveryLiftRow]
    public var recoveryReturns: [RecoveryReturnRow]
    /// Rows of the order service's data left out because they hold NULL where a page needs a value (a currency,
    /// an amount, a name): one error each, naming the file, row and column.
    public var skippedRows: [ReportDataError]

    /// Decodes every file's result; an error names a file that is missing, that returned rows of the wrong shape
    /// (with row and column), or that ran although no row type reads it.
    public init(decoding data: ReportData) throws {
        var decoder = ReportDecoder(data)
        freshness = try decoder.single()
        successMetricRows = try decoder.rows()
        recoveryRate = try decoder.single()
        manualReconciliation = try decoder.single()
        checkoutSuccessTrend = try decoder.rows()
        confirmations = try decoder.single()
        reconciliationTotals = try decoder.single()
        errorTrend = try decoder.rows()
        failureReasons = try decoder.rows()
        failingProducts = try decoder.rows()
        errorOrders = try decoder.rows()
        malformedOrders = try decoder.rows()
        retryTotals = try decoder.single()
        retryPending = try decoder.rows()
        retryConfirmed = try decoder.rows()
        retryExhausted = try decoder.rows()
        checkoutTime = try decoder.single()
        funnel = try decoder.single()
        cartValues = try decoder.rows()
        abandonedProducts = try decoder.rows()
        recoveryStages = try decoder.rows()
        recoveryRevenue = try decoder.rows()
        recoveryLift = try decoder.rows()
        recoveryReturns = try decoder.rows()
        try decoder.checkEveryFileDecoded()
        skippedRows = decoder.skipped
    }

    /// The plan's success metrics measured in the window, by `SuccessMetric.key`.
    public var successMetrics: [String: Ratio] {
        var measured = Dictionary(successMetricRows.map { ($0.metric, $0.ratio) }, uniquingKeysWith: { _, last in last })
        measured["recovery_rate"] = recoveryRate.ratio
        measured["manual_reconciliation"] = manualReconciliation.ratio
        return measured
    }
}
