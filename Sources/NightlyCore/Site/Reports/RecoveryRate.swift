/// The one row of `overview_recovery_rate.sql`: the success metric "cart recovery rate".
public struct RecoveryRate: ReportRow {
    public static let file = "overview_recovery_rate"
    /// Distinct carts sent a message in the window that converted, of all those carts.
    public var ratio: Ratio

    public init(_ record: ReportRecord) throws {
        ratio = Ratio(try record.int("numerator"), of: try record.int("denominator"))
    }
}
