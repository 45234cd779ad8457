import Foundation
import Postgres

/// Applies `queries/schema/NNNN_name.sql` in order, each in its own transaction, and records each with a checksum.
public struct Migrator {
    /// The newest schema version this build's code relies on; `run` refuses an older database.
    public static let expectedVersion = 8

    /// One file under `queries/schema/`.
    struct Migration {
        let version: Int
        let path: String
        let statement: SQLStatement
    }

    let queries: QueryLibrary

    public init(queries: QueryLibrary) { self.queries = queries }

    /// Brings the database up to date and returns the file names applied now (empty when it already was).
    /// Refuses, changing nothing, when an applied file was edited since.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [String] {
        let migrations = try load()
        return try connection.transaction { connection in
            try connection.execute(try queries.statement("migrate/lock.sql"))
            try connection.executeScript(try queries.statement("migrate/bootstrap.sql"))
            var pending: [Migration] = []
            for migration in migrations {
                let recorded = try connection.queryFirst(
                    try queries.statement("migrate/applied.sql"), [migration.version, migration.statement.text]
                ) { row in try row.decode("matches", as: Bool.self) }
                switch recorded {
                case .some(true): continue
                case .some(false):
                    throw NightlyError.schemaMismatch(
                        "\(migration.statement.source) was edited after it was applied (its checksum changed); restore it and add a new migration file instead")
                case .none: pending.append(migration)
                }
            }
            for migration in pending {
                try connection.executeScript(migration.statement)
                try connection.execute(
                    try queries.statement("migrate/record.sql"),
                    [migration.version, migration.path, migration.statement.text])
            }
            return pending.map(\.path)
        }
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
