import Foundation
import NightlyCore
import Postgres

/// Runs every self-check (`queries/selfchecks/<check>.sql`) and collects the offending rows. Read-only, so the
/// report database (a replica) serves it.
public enum SelfCheckReader {
    /// The findings of every check as of `now`; the cooldown check uses `settings.recovery.customerCooldown`.
    public static func read(_ connection: Connection, queries: QueryLibrary, settings: Settings, now: Date) throws
        -> SelfCheckResults
    {
        var findings: [SelfCheck: SelfCheckResults.OffendingRows] = [:]
        for (check, statement, values) in try statements(queries: queries, settings: settings, now: now) {
            var columns: [String] = []
            let rows = try connection.query(statement, values) { row in
                columns = row.columnNames
                return (0..<row.columnCount).map { row.text(at: $0) ?? "" }
            }
            findings[check] = SelfCheckResults.OffendingRows(columns: columns, rows: rows)
        }
        return SelfCheckResults(findings: findings)
    }

    /// Each check's statement with the values it binds, in `SelfCheck.allCases` order.
    static func statements(queries: QueryLibrary, settings: Settings, now: Date) throws
        -> [(check: SelfCheck, statement: SQLStatement, values: [any PostgresEncodable])]
    {
        let parameters = NamedParameters(["now": now, "cooldown_seconds": settings.recovery.customerCooldown])
        return try SelfCheck.allCases.map { check in
            let statement = try queries.statement(check.queryFile)
            return (check, statement, try parameters.bind(statement))
        }
    }

    /// A check's offending rows from a table whose cells were read as text (`SnapshotReader.Read.asText`).
    static func offendingRows(_ table: ReportTable) -> SelfCheckResults.OffendingRows {
        SelfCheckResults.OffendingRows(
            columns: table.columns,
            rows: table.rows.map { $0.map { if case .text(let text) = $0 { text } else { "" } } })
    }
}
