/// Every report query's result of one run, by name (the file name without `.sql`).
public struct ReportData: Sendable, Equatable {
    public var tables: [String: ReportTable]

    public init(tables: [String: ReportTable] = [:]) { self.tables = tables }

    /// The table of `queries/reports/NAME.sql`; an error naming the file when it did not run.
    public func table(_ name: String) throws -> ReportTable {
        guard let table = tables[name] else {
            throw ReportDataError("the report query queries/reports/\(name).sql is missing; restore it from the repository")
        }
        return table
    }
}
