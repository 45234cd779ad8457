import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("The reports step's reads: one snapshot on two connections, several reports from one file")
struct ReportSnapshotTests {
    let settings = SQLStatement("SET LOCAL jit = off", source: "queries/run/report_settings.sql")

    /// A read that returns what its transaction sees: the snapshot, the session, and its settings.
    func probe(_ number: Int) -> SnapshotReader.Read {
        SnapshotReader.Read(
            statement: SQLStatement(
                """
                SELECT $1::int AS number, pg_current_snapshot()::text AS snapshot, pg_backend_pid() AS pid,
                       current_setting('jit') AS jit, current_setting('transaction_read_only') AS read_only,
                       current_setting('transaction_isolation') AS isolation
                """, source: "probe \(number)"),
            values: [number])
    }

    @Test func everyReadSeesOneSnapshotReadOnlyAndComesBackInOrder() async throws {
        let database = try TestDatabase.create(migrated: false)
        let connections = [try database.connect(), try database.connect()]
        let pids = try connections.map { try $0.queryFirst("SELECT pg_backend_pid() AS pid") { try $0.decode("pid", as: Int.self) } }
        let tables = try await SnapshotReader(connections: connections, settings: settings, reads: (0..<12).map(probe)).run()

        #expect(tables.map { $0.rows.first?[0] } == (0..<12).map { .integer($0) }, "each read's rows in the order asked")
        let snapshots = tables.compactMap { table -> String? in
            if case .text(let snapshot) = table.rows.first?[1] { snapshot } else { nil }
        }
        #expect(snapshots.count == 12 && Set(snapshots).count == 1, "one snapshot: \(snapshots)")
        for table in tables {
            guard case .integer(let pid) = table.rows.first?[2] else { Issue.record("no pid in \(table)"); continue }
            #expect(pids.contains(pid))
            #expect(table.rows.first?[3...] == [.text("off"), .text("on"), .text("repeatable read")])
        }
        #expect(connections.allSatisfy { !$0.isInTransaction }, "both transactions end")
    }

    @Test func aFailingReadIsRethrownNamingItsFileAndEndsBothTransactions() async throws {
        let database = try TestDatabase.create(migrated: false)
        let connections = [try database.connect(), try database.connect()]
        let failing = SnapshotReader.Read(
            statement: SQLStatement("SELECT 1 / $1::int AS n", source: "queries/reports/zz_failing.sql"), values: [0])
        let error = await #expect(throws: PostgresError.self) {
            try await SnapshotReader(connections: connections, settings: settings, reads: [probe(0), failing, probe(2)]).run()
        }
        #expect(error?.description.contains("division by zero") == true)
        #expect(error?.description.contains("zz_failing.sql") == true)
        #expect(connections.allSatisfy { !$0.isInTransaction })
        #expect(try connections[1].queryFirst("SELECT 1 AS one") { try $0.decode("one", as: Int.self) } == 1)
    }

    /// The file `cart_figures.sql` as `ReportQueries.files` would prepare it, with the rows `rows`.
    func split(_ columns: [String], _ rows: [[ReportValue]]) throws -> [String: ReportTable] {
        let file = ReportQueries.File(
            statement: SQLStatement("SELECT 1", source: "queries/reports/cart_figures.sql"), values: [],
            reports: ["analytics_funnel", "analytics_cart_value"], declaresReports: true)
        return try ReportQueries.tables(
            of: file, ReportTable(source: "queries/reports/cart_figures.sql", columns: columns, rows: rows))
    }

    @Test func aFileThatDeclaresReportsGivesEachItsRowsAndAnEmptyTableToOneWithout() throws {
        let tables = try split(
            ["report", "carts", "currency"],
            [[.text("analytics_cart_value"), .integer(3), .text("EUR")], [.text("analytics_cart_value"), .integer(4), .text("USD")]])
        #expect(tables["analytics_cart_value"]?.columns == ["carts", "currency"])
        #expect(tables["analytics_cart_value"]?.rows == [[.integer(3), .text("EUR")], [.integer(4), .text("USD")]])
        #expect(tables["analytics_funnel"]?.rows == [])
        #expect(tables.count == 2)
    }

    @Test func aRowNamingAReportTheFileDoesNotDeclareIsAnErrorNamingFileAndRow() throws {
        let error = #expect(throws: NightlyError.self) {
            try split(["report", "carts"], [[.text("analytics_funnel"), .integer(1)], [.text("analytics_funel"), .integer(2)]])
        }
        #expect(error?.description.contains("queries/reports/cart_figures.sql, row 2") == true, "\(String(describing: error))")
        #expect(error?.description.contains("analytics_funel") == true)
    }
}
