/// The one row of `overview_manual_reconciliation.sql`: the success metric "no manual reconciliation needed".
public struct ManualReconciliation: ReportRow {
    public static let file = "overview_manual_reconciliation"
    /// Errors the retry pass gave up on, of those it took in over the window (and older ones still open).
    public var ratio: Ratio

    public init(_ record: ReportRecord) throws {
        ratio = Ratio(try record.int("numerator"), of: try record.int("denominator"))
    }
}
