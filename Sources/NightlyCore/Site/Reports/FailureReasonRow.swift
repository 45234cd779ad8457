/// A row of `reconciliation_failure_reasons.sql`: well-formed confirmation errors of one reason.
public struct FailureReasonRow: ReportRow {
    public static let file = "reconciliation_failure_reasons"
    public var reason: String
    public var errors: Int
    public var orders: Int

    public init(_ record: ReportRecord) throws {
        reason = try record.text("reason")
        errors = try record.int("errors")
        orders = try record.int("orders")
    }
}
