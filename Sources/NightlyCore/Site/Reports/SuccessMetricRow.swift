/// A row of `overview_success_metrics.sql`: one of the plan's success metrics as numerator and denominator.
public struct SuccessMetricRow: ReportRow {
    public static let file = "overview_success_metrics"
    /// The metric's `SuccessMetric.key`.
    public var metric: String
    public var ratio: Ratio

    public init(_ record: ReportRecord) throws {
        metric = try record.text("metric")
        ratio = Ratio(try record.int("numerator"), of: try record.int("denominator"))
    }
}
