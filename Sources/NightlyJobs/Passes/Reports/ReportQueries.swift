import Foundation
import NightlyCore
import Postgres

/// Runs every SQL file under `queries/reports/` and keeps each result as a `ReportTable` named after its file.
/// `Reports(decoding:)` turns them into typed rows; these generic tables are only its input.
///
/// Each file declares the values it binds (`NamedParameters`): `now` (the run's clock, `timestamptz`),
/// `window_days` (the report window, `integer`), `run_id` (this run, `uuid`).
struct ReportQueries {
    let queries: QueryLibrary

    /// The values a report file may bind (see `NamedParameters`).
    struct Parameters {
        let now: Date
        let windowDays: Int
        /// This run, whose ledger rows are stamped just after `now` (a query may include them).
        let runID: UUID

        var named: NamedParameters { NamedParameters(["now": now, "window_days": windowDays, "run_id": runID]) }
    }

    /// Runs every report file in one read-only snapshot (REPEATABLE READ), so the figures of all pages agree
    /// with each other; works on a replica. Rows are streamed, one at a time, into the tables.
    func load(_ connection: Connection, parameters: Parameters) throws -> ReportData {
        let files = try queries.files(in: "reports")
        return try connection.transaction(isolation: .repeatableRead, readOnly: true) { connection in
            var data = ReportData()
            for file in files {
                let statement = try queries.statement(file)
                let name = String((file as NSString).lastPathComponent.dropLast(".sql".count))
                let values = try parameters.named.bind(statement)
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
}
