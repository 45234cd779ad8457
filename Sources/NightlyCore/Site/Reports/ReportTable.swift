import Foundation

/// The result of one report query (`queries/reports/NAME.sql`).
public struct ReportTable: Sendable, Equatable {
    /// The file the rows came from, such as `queries/reports/analytics_funnel.sql`, for error messages.
    public var source: String
    public var columns: [String]
    public var rows: [[ReportValue]]

    public init(source: String, columns: [String], rows: [[ReportValue]]) {
        self.source = source
        self.columns = columns
        self.rows = rows
    }

    /// The rows as readers that decode values by column name.
    public var records: [ReportRecord] { rows.indices.map { ReportRecord(table: self, index: $0) } }

    /// The first row; an error naming the file when the query returned none.
    public func single() throws -> ReportRecord {
        guard !rows.isEmpty else { throw ReportDataError("\(source) returned no row; it must return exactly one") }
        return ReportRecord(table: self, index: 0)
    }
}
