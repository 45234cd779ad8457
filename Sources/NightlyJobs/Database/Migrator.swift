import Foundation
import Postgres

/// Applies `queries/schema/NNNN_name.sql` in order, each in its own transaction, and records each with a checksum.
/// Where the order service's tables exist, `migrate` changes only the batch's own schema (`checkout_nightly`).
public struct Migrator {
    /// The newest schema version this build's code relies on; `run` refuses an older database.
    public static let expectedVersion = 12

    /// The migration that creates the order service's tables (demo and tests). Where they all exist it is
    /// recorded without running, so `migrate` needs no privilege on them.
    static let orderServiceTablesVersion = 1
    /// The tables that migration creates.
    static let orderServiceTables = ["cart_items", "cart_sessions", "customers", "orders"]

    /// Checksums of earlier texts of applied files that a later release rewrote without changing what they leave
    /// in a database that ran them: 0001 and 0004 lost their indexes on the order service's tables (now
    /// `queries/indexes/order_service_indexes.sql`), and databases that applied the earlier text stay current.
    static let earlierChecksums: [Int: [String]] = [
        1: ["e0443d54c88018eab016ac7d97128cfeaa33f56a3c71fd51d993345ba1b9a069"],
        4: ["fb1abf3d5168b52c6db86d5ca38dc7043900b76a763748f280d8fa4ccf440a54"],
    ]

    /// One file under `queries/schema/`.
    struct Migration {
        let version: Int
        let path: String
        let statement: SQLStatement
    }

    /// What `migrate` does (or, with `--dry-run`, would do) to a database.
    public struct Plan: Sendable, Equatable {
        /// The files to run, in order.
        public var apply: [String] = []
        /// The files to record without running: the order service's tables exist already.
        public var recordOnly: [String] = []
        /// The indexes to build on the order service's tables, after the migrations: only where `migrate` creates
        /// those tables itself.
        public var indexes: [OrderServiceIndexes.Index] = []

        public var isEmpty: Bool { apply.isEmpty && recordOnly.isEmpty && indexes.isEmpty }

        /// What `migrate --dry-run` prints: one line per thing `migrate` would do, in order.
        public var lines: [String] {
            guard !isEmpty else { return ["nothing to apply: the schema is up to date"] }
            return recordOnly.map { "would record \($0) without running it: the order service's tables exist" }
                + apply.map { "would apply \($0)" }
                + indexes.map { "would build index \($0.name): \($0.statement.split(whereSeparator: \.isNewline).joined(separator: " "))" }
        }
    }

    let queries: QueryLibrary

    public init(queries: QueryLibrary) { self.queries = queries }

    /// Brings the database up to date and returns what it did (nothing when it already was). Refuses, changing
    /// nothing, when an applied file was edited since.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> Plan {
        let migrations = try load()
        let plan = try connection.transaction { connection in
            try connection.execute(try queries.statement("migrate/lock.sql"))
            try connection.executeScript(try queries.statement("migrate/bootstrap.sql"))
            let (plan, pending) = try self.plan(migrations, connection, ledgerExists: true)
            for migration in pending {
                if plan.apply.contains(migration.path) { try connection.executeScript(migration.statement) }
                try connection.execute(
                    try queries.statement("migrate/record.sql"),
                    [migration.version, migration.path, migration.statement.text])
            }
            return plan
        }
        // CREATE INDEX CONCURRENTLY cannot run inside a transaction: after the commit, one statement at a time.
        if !plan.indexes.isEmpty { try OrderServiceIndexes(queries: queries).build(connection) }
        return plan
    }

    /// What `migrate` would do, changing nothing (`migrate --dry-run`).
    public func plan(_ connection: Connection) throws -> Plan {
        let ledgerExists = try connection.queryFirst(try queries.statement("migrate/ledger_exists.sql")) {
            try $0.decode("present", as: Bool.self)
        } ?? false
        return try plan(try load(), connection, ledgerExists: ledgerExists).plan
    }

    /// The applied schema version (0 when `migrate` never ran).
    public func currentVersion(_ connection: Connection) throws -> Int {
        let present = try connection.queryFirst(try queries.statement("migrate/ledger_exists.sql")) {
            try $0.decode("present", as: Bool.self)
        }
        guard present == true else { return 0 }
        return try connection.queryFirst(try queries.statement("migrate/current_version.sql")) {
            try $0.decode("version", as: Int.self)
        } ?? 0
    }

    /// Throws a sentence naming the fix when the database is older than this build expects.
    public func requireCurrent(_ connection: Connection) throws {
        let version = try currentVersion(connection)
        guard version >= Self.expectedVersion else {
            throw NightlyError.schemaMismatch(
                "the database schema is at version \(version) but this build needs version \(Self.expectedVersion); run `checkout-nightly migrate` first")
        }
    }

    /// The plan for `migrations` and the files not applied yet; throws when an applied file was edited.
    private func plan(_ migrations: [Migration], _ connection: Connection, ledgerExists: Bool) throws
        -> (plan: Plan, pending: [Migration])
    {
        var pending: [Migration] = []
        for migration in migrations {
            let recorded = !ledgerExists ? nil : try connection.queryFirst(
                try queries.statement("migrate/applied.sql"),
                [migration.version, migration.statement.text, Self.earlierChecksums[migration.version] ?? []]
            ) { row in try row.decode("matches", as: Bool.self) }
            switch recorded {
            case .some(true): continue
            case .some(false):
                throw NightlyError.schemaMismatch(
                    "\(migration.statement.source) was edited after it was applied (its checksum changed); restore it and add a new migration file instead")
            case .none: pending.append(migration)
            }
        }
        var plan = Plan()
        let createsOrderServiceTables = pending.contains { $0.version == Self.orderServiceTablesVersion }
        let tablesExist = try connection.queryFirst(
            try queries.statement("migrate/order_service_tables_exist.sql"), [Self.orderServiceTables]
        ) { try $0.decode("present", as: Bool.self) } ?? false
        for migration in pending {
            if migration.version == Self.orderServiceTablesVersion, tablesExist {
                plan.recordOnly.append(migration.path)
            } else {
                plan.apply.append(migration.path)
            }
        }
        if createsOrderServiceTables, !tablesExist { plan.indexes = try OrderServiceIndexes(queries: queries).wanted() }
        return (plan, pending)
    }

    private func load() throws -> [Migration] {
        try queries.files(in: "schema").map { path in
            let name = (path as NSString).lastPathComponent
            guard let version = Int(name.prefix(while: \.isNumber)), version > 0 else {
                throw NightlyError.schemaMismatch(
                    "queries/\(path) has no version number; name migrations NNNN_description.sql")
            }
            return Migration(version: version, path: name, statement: try queries.statement(path))
        }
    }
}
