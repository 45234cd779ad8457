import Foundation

/// One value of a report query's result, typed by the column's PostgreSQL type.
public enum ReportValue: Sendable, Equatable {
    case null
    case text(String)
    case integer(Int)
    case decimal(Decimal)
    case double(Double)
    case bool(Bool)
    case timestamp(Date)
}

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

/// One row of a report table; each accessor names the file, row and column when the value is not what it needs.
public struct ReportRecord: Sendable {
    let table: ReportTable
    let index: Int

    private func value(_ column: String) throws -> ReportValue {
        guard let position = table.columns.firstIndex(of: column) else {
            throw ReportDataError(
                "\(table.source) has no column \"\(column)\" (columns: \(table.columns.joined(separator: ", ")))")
        }
        return table.rows[index][position]
    }

    private func mismatch(_ column: String, _ value: ReportValue, _ wanted: String) -> ReportDataError {
        ReportDataError("\(table.source), row \(index + 1), column \"\(column)\" holds \(value), not \(wanted)")
    }

    /// Text, or nil for NULL. Numbers and booleans are accepted as their text.
    public func textIfPresent(_ column: String) throws -> String? {
        switch try value(column) {
        case .null: nil
        case .text(let text): text
        case .integer(let number): String(number)
        case .decimal(let number): "\(number)"
        case .double(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .timestamp(let date): ISO8601Timestamp.format(date)
        }
    }

    public func text(_ column: String) throws -> String {
        guard let text = try textIfPresent(column) else { throw mismatch(column, .null, "text") }
        return text
    }

    public func int(_ column: String) throws -> Int {
        let value = try value(column)
        guard case .integer(let number) = value else { throw mismatch(column, value, "a whole number") }
        return number
    }

    public func decimal(_ column: String) throws -> Decimal {
        let value = try value(column)
        switch value {
        case .decimal(let number): return number
        case .integer(let number): return Decimal(number)
        default: throw mismatch(column, value, "a numeric amount")
        }
    }

    /// A number, or nil for NULL (an aggregate over no rows).
    public func doubleIfPresent(_ column: String) throws -> Double? {
        let value = try value(column)
        switch value {
        case .null: return nil
        case .double(let number): return number
        case .integer(let number): return Double(number)
        case .decimal(let number): return NSDecimalNumber(decimal: number).doubleValue
        default: throw mismatch(column, value, "a number")
        }
    }

    public func date(_ column: String) throws -> Date {
        let value = try value(column)
        guard case .timestamp(let date) = value else { throw mismatch(column, value, "a timestamp") }
        return date
    }

    public func dateIfPresent(_ column: String) throws -> Date? {
        if case .null = try value(column) { return nil }
        return try date(column)
    }
}

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

/// Report data that does not have the shape a page needs: names the file, row and column.
public struct ReportDataError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
