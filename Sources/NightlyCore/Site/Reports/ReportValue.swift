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
