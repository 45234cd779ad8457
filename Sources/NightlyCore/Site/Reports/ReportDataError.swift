/// Report data that does not have the shape a page needs: names the file, row and column.
public struct ReportDataError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
