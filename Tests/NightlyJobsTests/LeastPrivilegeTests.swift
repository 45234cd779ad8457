import Foundation
import Logging
import NightlyCore
import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("The batch runs with the least privileges of deploy/postgres/roles.sql", .serialized)
struct LeastPrivilegeTests {
    /// A seeded database with the roles of deploy/postgres/roles.sql, applied twice (the file is idempotent).
    func databaseWithRoles(carts: Int) throws -> (database: TestDatabase, admin: Connection) {
        let database = try TestDatabase.seeded(carts: carts, now: testNow)
        let admin = try database.connect()
        let roles = try String(
            contentsOf: Repository.root.appendingPathComponent("deploy/postgres/roles.sql"), encoding: .utf8)
        try admin.executeScript(SQLStatement(roles, source: "deploy/postgres/roles.sql"))
        try admin.executeScript(SQLStatement(roles, source: "deploy/postgres/roles.sql (again: idempotent)"))
        return (database, admin)
    }

    @Test func theWholeBatchRunsAsTheBatchRoleAndCannotTouchMore() async throws {
        let (database, admin) = try databaseWithRoles(carts: 600)

        var settings = testSettings(database: database, output: try makeTemporaryDirectory("roles"), now: testNow)
        settings.databaseURL = "dbname=\(database.name) user=checkout_nightly_batch"
        settings.reportDatabaseURL = "dbname=\(database.name) user=checkout_nightly_reports"
        let reports = try await NightlyRun(settings: settings, logger: Logger(label: "test")).execute()
        #expect(reports.map(\.step) == StepList.names.map(\.rawValue) + ["publish"])
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
        for secret in [
            "SELECT html FROM checkout_nightly.notification_outbox", "SELECT headers FROM checkout_nightly.notification_outbox",
            "SELECT text FROM checkout_nightly.notification_outbox", "SELECT token_hash FROM checkout_nightly.recovery_messages",
            "SELECT unsubscribe_token_hash FROM checkout_nightly.recovery_messages",
        ] {
            let error = #expect(throws: PostgresError.self) { try reportsRole.execute(SQLStatement(secret, source: "test")) }
            #expect(error?.sqlState == .insufficientPrivilege, "the reports role reads \(secret)")
        }
        #expect(try reportsRole.execute("SELECT message_id, channel, created_at FROM checkout_nightly.notification_outbox") > 0)

        // explain reads all it needs as the reports role.
        let messaged = try #require(try admin.queryFirst(
            SQLStatement("SELECT cart_id FROM checkout_nightly.recovery_messages LIMIT 1", source: "test")
        ) { try $0.decode("cart_id", as: UUID.self) })
        var reportsSettings = settings
        reportsSettings.databaseURL = "dbname=\(database.name) user=checkout_nightly_reports"
        let explanation = try RecoveryExplainer(settings: reportsSettings).explain(cartID: messaged)
        #expect(!explanation.messages.isEmpty && !explanation.facts.isEmpty)
    }

    @Test func forgetAndRetentionNeedNoMoreThanTheBatchRole() async throws {
        let (database, admin) = try databaseWithRoles(carts: 300)
        let output = try makeTemporaryDirectory("roles-privacy")
        var settings = testSettings(database: database, output: output, now: testNow, steps: [.recovery])
        settings.databaseURL = "dbname=\(database.name) user=checkout_nightly_batch"
        try await NightlyRun(settings: settings, logger: Logger(label: "test")).execute()
        // The notification service, not the batch, marks notifications dispatched.
        try admin.execute("UPDATE checkout_nightly.notification_outbox SET dispatched_at = $1::timestamptz", [testNow])
        let batch = try Connection(url: settings.databaseURL)
        let customer = try #require(try batch.queryFirst(
            "SELECT customer_id FROM checkout_nightly.recovery_messages ORDER BY created_at LIMIT 1"
        ) { try $0.decode("customer_id", as: UUID.self) })

        let erasure = try CustomerErasure(queries: QueryLibrary(directory: Repository.queries), outputDirectory: output.path)
            .run(.customerID(customer), connection: batch, now: testNow, dryRun: false, osUser: "test") {}
        #expect(erasure.messagesCleared > 0 && erasure.filesRemoved > 0)
        let later = testNow.addingTimeInterval(200 * 86400)
        let retention = try await Retention().run(connection: batch, settings: settings, now: later, outputDirectory: output.path)
        #expect(retention.outboxContentsCleared > 0 && retention.recoveryMessagesCleared > 0)
        let error = #expect(throws: PostgresError.self) {
            try batch.execute("DELETE FROM checkout_nightly.erasures")
        }
        #expect(error?.sqlState == "42501", "the audit cannot be deleted by the batch")
    }
}

extension LeastPrivilegeTests {
    @Test func theRetryPassNeedsOnlyTheMetadataOfOrders() async throws {
        let service = try WarehouseService(script: ["r-1": ["confirm"]])
        defer { service.stop() }
        let shop = try Fixtures()
        let order = try shop.orderWithReservationErrors("ORD-1", createdAt: testNow.addingTimeInterval(-600), reservations: ["r-1"])
        let roles = try String(
            contentsOf: Repository.root.appendingPathComponent("deploy/postgres/roles.sql"), encoding: .utf8)
        try shop.connection.executeScript(SQLStatement(roles, source: "deploy/postgres/roles.sql"))

        var settings = testSettings(
            database: shop.database, output: try makeTemporaryDirectory("roles-retry"), now: testNow, steps: [.reservationRetry])
        settings.databaseURL = "dbname=\(shop.database.name) user=checkout_nightly_batch"
        settings.reservationRetry = .test(service)
        let step = ReservationRetryStep(environment: [ReservationRetrySettings.tokenEnvironmentName: WarehouseService.token])
        let reports = try await NightlyRun(settings: settings, steps: [step], logger: Logger(label: "test")).execute()
        #expect(reports.first?.outcome == .succeeded, "\(reports)")
        #expect(reports.first?.counts["confirmed"] == 1)
        #expect(try shop.remainingErrors(order) == "[]")

        let batch = try Connection(url: "dbname=\(shop.database.name) user=checkout_nightly_batch")
        for forbidden in [
            "UPDATE orders SET status = 'cancelled'", "UPDATE orders SET total_amount = 0",
            "INSERT INTO orders (id, order_number, customer_id, status, total_amount, currency) VALUES (gen_random_uuid(), 'X', gen_random_uuid(), 'x', 1, 'EUR')",
            "DELETE FROM checkout_nightly.reservation_retry_attempts", "DELETE FROM checkout_nightly.reservation_retries",
        ] {
            let error = #expect(throws: PostgresError.self) { try batch.execute(SQLStatement(forbidden, source: "test")) }
            #expect(error?.sqlState == "42501", "\(forbidden): \(error?.description ?? "allowed")")
        }
    }
}
