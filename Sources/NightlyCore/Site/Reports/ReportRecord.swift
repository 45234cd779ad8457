import Foundation

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
        let isMissingValue = if case .null = value { true } else { false }
        return ReportDataError(
            "\(table.source), row \(index + 1), column \"\(column)\" holds \(value), not \(wanted)",
            isMissingValue: isMissingValue)
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

    public func decimalIfPresent(_ column: String) throws -> Decimal? {
        if case .null = try value(column) { return nil }
        return try decimal(column)
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
