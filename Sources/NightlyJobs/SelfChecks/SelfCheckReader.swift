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
        let parameters = NamedParameters(["now": now, "cooldown_seconds": settings.recovery.customerCooldown])
        var findings: [SelfCheck: SelfCheckResults.OffendingRows] = [:]
        for check in SelfCheck.allCases {
            let statement = try queries.statement(check.queryFile)
            var columns: [String] = []
            let rows = try connection.query(statement, try parameters.bind(statement)) { row in
                columns = row.columnNames
                return (0..<row.columnCount).map { row.text(at: $0) ?? "" }
            }
            findings[check] = SelfCheckResults.OffendingRows(columns: columns, rows: rows)
        }
        return SelfCheckResults(findings: findings)
    }
}
