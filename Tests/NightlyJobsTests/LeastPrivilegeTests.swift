import Foundation
import Logging
import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("The batch runs with the least privileges of deploy/postgres/roles.sql", .serialized)
struct LeastPrivilegeTests {
    @Test func theWholeBatchRunsAsTheBatchRoleAndCannotTouchMore() async throws {
        let database = try TestDatabase.seeded(carts: 600, now: testNow)
        let admin = try database.connect()
        let roles = try String(
            contentsOf: Repository.root.appendingPathComponent("deploy/postgres/roles.sql"), encoding: .utf8)
        try admin.executeScript(SQLStatement(roles, source: "deploy/postgres/roles.sql"))
        try admin.executeScript(SQLStatement(roles, source: "deploy/postgres/roles.sql (again: idempotent)"))

        var settings = testSettings(database: database, output: try makeTemporaryDirectory("roles"), now: testNow)
        settings.databaseURL = "dbname=\(database.name) user=checkout_nightly_batch"
        settings.reportDatabaseURL = "dbname=\(database.name) user=checkout_nightly_reports"
        let reports = try await NightlyRun(settings: settings, logger: Logger(label: "test")).execute()
        #expect(reports.map(\.step) == ["stuck-carts", "expired-sessions", "recovery", "reports", "publish"])
        #expect(reports.allSatisfy { $0.outcome.isSuccess }, "\(reports.filter { !$0.outcome.isSuccess })")
        #expect((reports.first { $0.step == "stuck-carts" }?.counts["cleaned"] ?? 0) > 0)
        #expect((reports.first { $0.step == "recovery" }?.counts["codes_issued"] ?? 0) > 0)

        let batch = try Connection(url: "dbname=\(database.name) user=checkout_nightly_batch")
        for forbidden in [
            "UPDATE customers SET email = 'x@example.com'", "DELETE FROM orders", "UPDATE orders SET total_amount = 0",
            "UPDATE cart_items SET unit_price = 0", "UPDATE cart_sessions SET customer_id = NULL",
            "DELETE FROM checkout_nightly.runs", "INSERT INTO checkout_nightly.schema_migrations VALUES (99, 'x', 'y')",
            "CREATE TABLE public.intruder (id int)",
        ] {
            let error = #expect(throws: PostgresError.self) { try batch.execute(SQLStatement(forbidden, source: "test")) }
            #expect(error?.sqlState == .insufficientPrivilege, "\(forbidden): \(error?.description ?? "allowed")")
        }
        let reportsRole = try Connection(url: "dbname=\(database.name) user=checkout_nightly_reports")
        let write = #expect(throws: PostgresError.self) {
            try reportsRole.execute("DELETE FROM cart_items")
        }
        #expect(write?.sqlState == .insufficientPrivilege)

        // explain reads all it needs as the reports role.
        let messaged = try #require(try admin.queryFirst(
            SQLStatement("SELECT cart_id FROM checkout_nightly.recovery_messages LIMIT 1", source: "test")
        ) { try $0.decode("cart_id", as: UUID.self) })
        var reportsSettings = settings
        reportsSettings.databaseURL = "dbname=\(database.name) user=checkout_nightly_reports"
        let explanation = try RecoveryExplainer(settings: reportsSettings).explain(cartID: messaged)
        #expect(!explanation.messages.isEmpty && !explanation.facts.isEmpty)
    }
}
