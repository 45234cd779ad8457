import Foundation
import NightlyCore
import Postgres

/// Runs every SQL file under `queries/reports/` and keeps each result as a `ReportTable` named after its file.
///
/// A file declares what it binds in a leading comment:
///
///     -- parameters: now, window_days
///
/// It lists the values bound to `$1`, `$2`, … in order (`now`: the run's clock as `timestamptz`;
/// `window_days`: the report window as `integer`).
struct ReportQueries {
    let queries: QueryLibrary

    /// The values a report file may ask for, by name.
    struct Parameters {
        let now: Date
        let windowDays: Int
        /// This run, whose ledger rows are stamped just after `now` (a query may include them).
        let runID: UUID

        func value(named name: String) -> (any PostgresEncodable)? {
            switch name {
            case "now": now
            case "window_days": windowDays
            case "run_id": runID
            default: nil
            }
        }

        static let names = ["now", "window_days", "run_id"]
    }

    /// Runs every report file in one read-only snapshot (REPEATABLE READ), so the figures of all pages agree
    /// with each other; works on a replica. Rows are streamed, one at a time, into the tables.
    func load(_ connection: Connection, parameters: Parameters) throws -> ReportData {
        let files = try queries.files(in: "reports")
        return try connection.transaction(isolation: .repeatableRead, readOnly: true) { connection in
            var data = ReportData()
            for file in files {
                let statement = try queries.statement(file)
                let header = try Header(statement)
                let name = String((file as NSString).lastPathComponent.dropLast(".sql".count))
                let values = header.parameters.compactMap { parameters.value(named: $0) }
                var table = ReportTable(source: statement.source, columns: [], rows: [])
                try connection.stream(statement, values) { row in
                    if table.columns.isEmpty { table.columns = row.columnNames }
                    table.rows.append(try (0..<row.columnCount).map { try Self.value(row, $0) })
                }
                data.tables[name] = table
            }
            return data
        }
    }

    /// A cell typed by its column's PostgreSQL type; anything not listed stays text.
    static func value(_ row: Row, _ column: Int) throws -> ReportValue {
        guard row.text(at: column) != nil else { return .null }
        switch row.typeOID(at: column) {
        case 16: return .bool(try row.decode(at: column, as: Bool.self))
        case 20, 21, 23: return .integer(try row.decode(at: column, as: Int.self))
        case 700, 701: return .double(try row.decode(at: column, as: Double.self))
        case 1700: return .decimal(try row.decode(at: column, as: Decimal.self))
        case 1114, 1184: return .timestamp(try row.decode(at: column, as: Date.self))
        default: return .text(try row.decode(at: column, as: String.self))
        }
    }

    /// The `-- parameters:` line of a report file.
    struct Header {
        var parameters: [String] = []

        init(_ statement: SQLStatement) throws {
            for (number, line) in statement.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard line.hasPrefix("--") else { break }
                let comment = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
                let key = "parameters:"
                if comment.hasPrefix(key) {
                    parameters = comment.dropFirst(key.count).split(separator: ",")
                        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                }
                if let unknown = parameters.first(where: { !Parameters.names.contains($0) }) {
                    throw ReportDataError(
                        "\(statement.source):\(number + 1): unknown parameter \"\(unknown)\"; report files may bind \(Parameters.names.joined(separator: ", "))")
                }
            }
        }
    }
}
