/// Every report query's result of one run, by name (the file name without `.sql`).
public struct ReportData: Sendable, Equatable {
    public var tables: [String: ReportTable]

    public init(tables: [String: ReportTable] = [:]) { self.tables = tables }

    /// The table of the report `name` (`queries/reports/NAME.sql`, or a file that declares it); an error naming
    /// the report when no file returned it.
    public func table(_ name: String) throws -> ReportTable {
        guard let table = tables[name] else {
            throw ReportDataError(
                "the report \(name) is missing: no file in queries/reports/ returned it; restore the folder from the repository")
        }
        return table
    }
}
