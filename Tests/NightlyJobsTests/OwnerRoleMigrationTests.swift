import Foundation
import NightlyJobs
import Postgres
import Testing
import TestSupport

/// `migrate` on a database like production's: the order service's tables exist, owned by another role, and
/// `migrate` runs as the batch's owner role (deploy/postgres/roles.sql). In LeastPrivilegeTests's serialized
/// suite, since both create the cluster-wide roles.
extension LeastPrivilegeTests {
    @Test func migrateAsTheOwnerRoleChangesOnlyTheBatchSchemaAndTheIndexScriptBuildsTheRest() throws {
        let database = try TestDatabase.create(migrated: false)
        let admin = try database.connect()
        let orderService = "order_service_" + database.name
        try admin.executeScript(SQLStatement(
            """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'checkout_nightly_owner') THEN
                    CREATE ROLE checkout_nightly_owner LOGIN;
                END IF;
            END $$;
            GRANT CREATE ON DATABASE \(database.name) TO checkout_nightly_owner;
            CREATE ROLE \(orderService) NOLOGIN;
            GRANT CREATE ON SCHEMA public TO \(orderService);
            """, source: "test: roles"))
        let tables = try String(
            contentsOf: URL(fileURLWithPath: Repository.queries).appendingPathComponent("schema/0001_order_service_tables.sql"),
            encoding: .utf8)
        try admin.executeScript(SQLStatement("SET ROLE \(orderService);\n\(tables)\nRESET ROLE;", source: "test: order service tables"))
        let publicObjects = """
            SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || pg_get_userbyid(c.relowner), ',' ORDER BY c.relname) AS objects
            FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
            """
        let before = try admin.queryFirst(SQLStatement(publicObjects, source: "test")) { try $0.decode("objects", as: String.self) }

        let ownerURL = "dbname=\(database.name) user=checkout_nightly_owner"
        let dryRun = try runProcess(try checkoutNightlyBinary(), ["migrate", "--dry-run", "--database-url", ownerURL],
                                    currentDirectory: Repository.root)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        let batchMigrations = try FileManager.default.contentsOfDirectory(atPath: Repository.queries + "/schema").sorted()
            .filter { $0 != "0001_order_service_tables.sql" }
        #expect(dryRun.stdout.split(separator: "\n").map(String.init) == [
            "would record 0001_order_service_tables.sql without running it: the order service's tables exist",
        ] + batchMigrations.map { "would apply \($0)" })
        #expect(try admin.queryFirst("SELECT to_regnamespace('checkout_nightly') IS NULL AS absent") {
            try $0.decode("absent", as: Bool.self)
        } == true, "a dry run changes nothing")

        let owner = try Connection(url: ownerURL)
        let queries = QueryLibrary(directory: Repository.queries)
        let plan = try Migrator(queries: queries).migrate(owner)
        #expect(plan.recordOnly == ["0001_order_service_tables.sql"])
        #expect(plan.indexes.isEmpty)
        #expect(try Migrator(queries: queries).currentVersion(owner) == Migrator.expectedVersion)
        #expect(try admin.queryFirst(SQLStatement(publicObjects, source: "test")) { try $0.decode("objects", as: String.self) }
            == before, "nothing in the order service's schema changed")
        #expect(try admin.queryFirst("SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'checkout_nightly'") {
            try $0.decode("owner", as: String.self)
        } == "checkout_nightly_owner")

        let indexes = OrderServiceIndexes(queries: queries)
        let missing = try indexes.missing(owner)
        #expect(missing.map(\.name) == (try indexes.wanted()).map(\.name))
        #expect(missing.first?.statement == "CREATE INDEX CONCURRENTLY IF NOT EXISTS cart_items_cart_session_id_idx ON cart_items (cart_session_id);")

        // The DBA's script, through psql, as the tables' owner.
        let psql = try runProcess(
            try requireTool("psql"),
            ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database.name, "-f",
             Repository.root.appendingPathComponent("deploy/postgres/indexes.sql").path],
            environment: ["PGOPTIONS": "-c role=\(orderService)"])
        #expect(psql.status == 0, "\(psql.stderr)")
        #expect(try indexes.missing(owner).isEmpty)
        #expect(try Migrator(queries: queries).plan(owner).isEmpty)

        // The DBA's roles script, then the reports role reads a view the owner role created over those tables.
        let roles = try String(
            contentsOf: Repository.root.appendingPathComponent("deploy/postgres/roles.sql"), encoding: .utf8)
        try admin.executeScript(SQLStatement(roles, source: "deploy/postgres/roles.sql"))
        let reports = try Connection(url: "dbname=\(database.name) user=checkout_nightly_reports")
        #expect(try reports.count("SELECT count(*) AS n FROM checkout_nightly.cart_outcomes") == 0)
        try admin.executeScript(SQLStatement(
            "DROP OWNED BY \(orderService) CASCADE; DROP ROLE \(orderService);",
            source: "test: clean up"))
    }
}
