import Foundation
import NightlyCore
import Postgres

/// The SQL files under `queries/reports/`, each result kept as a `ReportTable` named after its file.
/// `Reports(decoding:)` turns them into typed rows; these generic tables are only its input.
///
/// Each file declares the values it binds (`NamedParameters`): `now` (the run's clock, `timestamptz`),
/// `window_days` (the report window, `integer`), `run_id` (this run, `uuid`). A file whose figures share one
/// expensive reading (every cart's items) may hold the rows of several reports: it names them in a leading
/// comment, `-- reports: a, b`, and each of its rows names its report in its first column, `report`; the other
/// columns make up that report's table (a report reads the columns it knows by name, the rest stay NULL).
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

    /// One report file ready to run: its statement, the values it binds, and the reports its rows belong to.
    struct File {
        let statement: SQLStatement
        let values: [any PostgresEncodable]
        /// The names of its `-- reports:` line; else the file's name alone.
        let reports: [String]
        /// True when the file declares several reports, each row naming its own in the column `report`.
        let declaresReports: Bool
    }

    /// The statements that take longest on a million carts (docs/performance.md), started first, longest first:
    /// the two that read every cart's items one per connection, then the ones that join every cart or order, so
    /// that the short statements fill in at the end and neither connection waits alone for a long one.
    static let heaviestFirst = [
        "reports/cart_figures.sql", "reports/analytics_abandoned_products.sql", "selfchecks/message_after_order.sql",
        "reports/analytics_recovery_return.sql", "reports/analytics_checkout_time.sql",
        "reports/overview_checkout_success_trend.sql", "selfchecks/customer_cooldown.sql",
    ]

    /// Runs every report file, then the `extra` reads (the self-checks), on `connections` in one shared snapshot
    /// (`SnapshotReader`), `heaviestFirst` first; works on a replica. Returns the report tables by name and
    /// the extra reads' tables in their order.
    func load(_ connections: [Connection], parameters: Parameters, with extra: [SnapshotReader.Read] = [])
        async throws -> (data: ReportData, extra: [ReportTable])
    {
        let files = try files(parameters)
        let reads = files.map { SnapshotReader.Read(statement: $0.statement, values: $0.values) } + extra
        func rank(_ index: Int) -> (Int, Int) {
            let source = reads[index].statement.source
            return (Self.heaviestFirst.firstIndex { source.hasSuffix($0) } ?? Self.heaviestFirst.count, index)
        }
        let order = reads.indices.sorted { rank($0) < rank($1) }
        let tables = try await SnapshotReader(
            connections: connections, settings: try queries.statement("run/report_settings.sql"),
            reads: order.map { reads[$0] }
        ).run()
        var results = Array(repeating: ReportTable(source: "", columns: [], rows: []), count: reads.count)
        for (position, index) in order.enumerated() { results[index] = tables[position] }

        var data = ReportData()
        for (file, table) in zip(files, results) {
            for (name, report) in try Self.tables(of: file, table) {
                if let earlier = data.tables[name] {
                    throw NightlyError.badQueryFile(
                        "the report \(name) comes from both \(earlier.source) and \(report.source); keep it in one file")
                }
                data.tables[name] = report
            }
        }
        return (data, Array(results.dropFirst(files.count)))
    }

    /// Every report file, in name order, with its values bound.
    func files(_ parameters: Parameters) throws -> [File] {
        try queries.files(in: "reports").map { path in
            let statement = try queries.statement(path)
            let declared = Self.declaredReports(statement)
            return File(
                statement: statement, values: try parameters.named.bind(statement),
                reports: declared ?? [String((path as NSString).lastPathComponent.dropLast(".sql".count))],
                declaresReports: declared != nil)
        }
    }

    /// The report tables of `file` from its result `table`; an error names the file when a row's `report` is
    /// not one it declares.
    static func tables(of file: File, _ table: ReportTable) throws -> [String: ReportTable] {
        guard file.declaresReports else { return [file.reports[0]: table] }
        var tables = Dictionary(uniqueKeysWithValues: file.reports.map {
            ($0, ReportTable(source: table.source, columns: Array(table.columns.dropFirst()), rows: []))
        })
        for (index, row) in table.rows.enumerated() {
            guard table.columns.first == "report", case .text(let name) = row[0], tables[name] != nil else {
                throw NightlyError.badQueryFile(
                    "\(table.source), row \(index + 1): the first column must be \"report\", naming one of the reports the file declares (\(file.reports.joined(separator: ", "))); found \(table.columns.first ?? "no column") = \(row.first.map { "\($0)" } ?? "nothing")")
            }
            tables[name]?.rows.append(Array(row.dropFirst()))
        }
        return tables
    }

    /// The names of the leading `-- reports:` comment line, or nil when the file has none.
    private static func declaredReports(_ statement: SQLStatement) -> [String]? {
        let key = "reports:"
        for line in statement.text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("--") else { break }
            let comment = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard comment.hasPrefix(key) else { continue }
            return comment.dropFirst(key.count).split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return nil
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
