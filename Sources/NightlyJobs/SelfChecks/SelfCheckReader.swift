import Foundation
import NightlyCore
import Postgres

/// Runs every self-check (`queries/selfchecks/<check>.sql`) and collects the offending rows. Read-only, so the
/// report database (a replica) serves it. The reports step reads the checks beside the reports, in their snapshot
/// (`reads`, `results`); `read` reads them alone.
public enum SelfCheckReader {
    /// One check's statement and the values it binds.
    typealias Statement = (check: SelfCheck, statement: SQLStatement, values: [any PostgresEncodable])

    /// The findings of every check as of `now`, read on `connections` in one snapshot; the cooldown check uses
    /// `settings.recovery.customerCooldown`.
    public static func read(_ connections: [Connection], queries: QueryLibrary, settings: Settings, now: Date)
        async throws -> SelfCheckResults
    {
        let checks = try statements(queries: queries, settings: settings, now: now)
        let tables = try await SnapshotReader(
            connections: connections, settings: try queries.statement("run/report_settings.sql"), reads: reads(checks)
        ).run()
        return results(checks, tables)
    }

    /// Each check's statement with the values it binds, in `SelfCheck.allCases` order.
    static func statements(queries: QueryLibrary, settings: Settings, now: Date) throws -> [Statement] {
        let parameters = NamedParameters(["now": now, "cooldown_seconds": settings.recovery.customerCooldown])
        return try SelfCheck.allCases.map { check in
            let statement = try queries.statement(check.queryFile)
            return (check, statement, try parameters.bind(statement))
        }
    }

    /// The checks as reads whose cells are kept as the server's text.
    static func reads(_ checks: [Statement]) -> [SnapshotReader.Read] {
        checks.map { SnapshotReader.Read(statement: $0.statement, values: $0.values, asText: true) }
    }

    /// The findings from the tables `reads(checks)` returned, in the same order.
    static func results(_ checks: [Statement], _ tables: [ReportTable]) -> SelfCheckResults {
        var findings: [SelfCheck: SelfCheckResults.OffendingRows] = [:]
        for (check, table) in zip(checks, tables) {
            findings[check.check] = SelfCheckResults.OffendingRows(
                columns: table.columns,
                rows: table.rows.map { $0.map { if case .text(let text) = $0 { text } else { "" } } })
        }
        return SelfCheckResults(findings: findings)
    }
}
