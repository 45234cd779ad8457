import Foundation
import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("Migrations")
struct MigrationTests {
    let migrator = Migrator(queries: QueryLibrary(directory: Repository.queries))

    @Test func applyOnceThenNoOp() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        #expect(try migrator.currentVersion(connection) == 0)
        let first = try migrator.migrate(connection)
        #expect(first.apply.first == "0001_order_service_tables.sql")
        #expect(first.recordOnly.isEmpty)
        #expect(first.indexes.count == (try OrderServiceIndexes(queries: QueryLibrary(directory: Repository.queries)).wanted().count), "a database whose order service tables migrate created gets the indexes")
        #expect(first.indexes.count >= 10)
        #expect(try OrderServiceIndexes(queries: QueryLibrary(directory: Repository.queries)).missing(connection).isEmpty)
        #expect(try migrator.currentVersion(connection) == Migrator.expectedVersion)
        #expect(try migrator.migrate(connection).isEmpty)
        let tables = try connection.query(
            "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema IN ('public', 'checkout_nightly') ORDER BY 1"
        ) { try $0.decode("name", as: String.self) }
        for table in ["public.customers", "public.cart_sessions", "public.cart_items", "public.orders",
                      "checkout_nightly.runs", "checkout_nightly.step_runs", "checkout_nightly.schema_migrations"] {
            #expect(tables.contains(table), "\(table) missing")
        }
    }

    @Test func existingOrderServiceTablesAreLeftAlone() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.executeScript("""
            CREATE TABLE customers (id uuid PRIMARY KEY, email text NOT NULL, first_name text, locale text,
              marketing_opt_in boolean, unsubscribed_at timestamptz, email_bounced_at timestamptz, push_enabled boolean,
              created_at timestamptz, loyalty_tier text);
            INSERT INTO customers (id, email, loyalty_tier) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com', 'gold');
            """)
        try migrator.migrate(connection)
        let tier = try connection.queryFirst("SELECT loyalty_tier FROM customers") { try $0.decode("loyalty_tier", as: String.self) }
        #expect(tier == "gold")
    }

    @Test func anEditedAppliedFileIsRefused() throws {
        let queries = try copyOfQueries()
        let connection = try TestDatabase.create(migrated: false).connect()
        let local = Migrator(queries: QueryLibrary(directory: queries.path))
        try local.migrate(connection)
        let file = queries.appendingPathComponent("schema/0002_run_ledger.sql")
        try (try String(contentsOf: file, encoding: .utf8) + "\n-- edited\n").write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: NightlyError.self) { try local.migrate(connection) }
        #expect(error?.description.contains("0002_run_ledger.sql was edited after it was applied") == true)
    }

    @Test func aNewFileIsAppliedAfterTheOthers() throws {
        let queries = try copyOfQueries()
        let connection = try TestDatabase.create(migrated: false).connect()
        let local = Migrator(queries: QueryLibrary(directory: queries.path))
        try local.migrate(connection)
        try "CREATE TABLE checkout_nightly.extra (id int);".write(
            to: queries.appendingPathComponent("schema/0099_extra.sql"), atomically: true, encoding: .utf8)
        #expect(try local.migrate(connection).apply == ["0099_extra.sql"])
        #expect(try local.currentVersion(connection) == 99)
    }

    @Test func aFailingMigrationChangesNothing() throws {
        let queries = try copyOfQueries()
        let connection = try TestDatabase.create(migrated: false).connect()
        try "CREATE TABLE checkout_nightly.half (id int); SELECT * FROM no_such_table;".write(
            to: queries.appendingPathComponent("schema/0099_broken.sql"), atomically: true, encoding: .utf8)
        let error = #expect(throws: PostgresError.self) {
            try Migrator(queries: QueryLibrary(directory: queries.path)).migrate(connection)
        }
        #expect(error?.sqlState == .undefinedTable)
        #expect(error?.description.contains("0099_broken.sql") == true)
        let present = try connection.queryFirst("SELECT to_regclass('checkout_nightly.schema_migrations') IS NOT NULL AS p") {
            try $0.decode("p", as: Bool.self)
        }
        #expect(present == false)
    }

    private func copyOfQueries() throws -> URL {
        let folder = try makeTemporaryDirectory("queries").appendingPathComponent("queries")
        try FileManager.default.copyItem(atPath: Repository.queries, toPath: folder.path)
        return folder
    }
}
