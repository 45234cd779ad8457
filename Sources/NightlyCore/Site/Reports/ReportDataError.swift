/// Report data that does not have the shape a page needs: names the file, row and column.
public struct ReportDataError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// The row holds NULL where its row type needs a value: the order service's data, not the query, is at fault
    /// (production columns may allow NULL where the contract says otherwise), so the row is skipped and counted
    /// rather than failing the step. Any other mismatch is a query that does not fit its row type.
    public var isMissingValue: Bool

    public init(_ description: String, isMissingValue: Bool = false) {
        self.description = description
        self.isMissingValue = isMissingValue
    }
}
