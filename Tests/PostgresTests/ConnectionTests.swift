import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Connections, errors, transactions and streaming")
struct ConnectionTests {
    @Test func serverErrorsCarrySQLStateDetailAndSource() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TABLE t (id int PRIMARY KEY)")
        try connection.execute("INSERT INTO t VALUES (1)")
        let error = #expect(throws: PostgresError.self) {
            try connection.execute(SQLStatement("INSERT INTO t VALUES ($1::int)", source: "queries/example.sql"), [1])
        }
        #expect(error?.sqlState == .uniqueViolation)
        #expect(error?.detail?.contains("(id)=(1)") == true)
        #expect(error?.description.contains("queries/example.sql") == true)
        // The connection stays usable after a failed statement.
        #expect(try connection.queryFirst("SELECT 1 AS one") { try $0.decode("one", as: Int.self) } == 1)
    }

    @Test func aConnectionErrorNeverShowsThePassword() throws {
        let host = try #require(ProcessInfo.processInfo.environment["PGHOST"])
        let url = "postgresql://checkout_admin:Sup3rS3cret@/no_such_database?host=\(host)&port=\(ProcessInfo.processInfo.environment["PGPORT"] ?? "5432")"
        let error = #expect(throws: PostgresError.self) { try Connection(url: url, connectTimeout: 2) }
        #expect(error?.kind == .connection)
        #expect(error?.description.contains("no_such_database") == true)
        #expect(error?.description.contains("Sup3rS3cret") == false)
        #expect(ConnectionStringRedactor.redact("postgres://u:Sup3rS3cret@h/db password=x") == "postgres://u:***@h/db password=***")
    }

    /// libpq's message for a connection string it cannot parse quotes pieces of it, a password's included
    /// (`invalid percent-encoded token: "Sum%mer2026!"`): that message is never shown. Of a string it can parse,
    /// every form of the password is removed from the message, wherever libpq quotes it (here in the socket path).
    @Test func noPieceOfAPasswordReachesAConnectionError() throws {
        for url in ["postgresql://batch:Sum%mer2026!@orders-db.internal/orders", "host=orders-db.internal password=Sum mer2026!"] {
            #expect(ConnectionString(url) == nil)
            let error = #expect(throws: PostgresError.self) { try Connection(url: url, connectTimeout: 2) }
            #expect(error?.kind == .connection)
            #expect(error?.description.contains("libpq cannot parse the connection string") == true, "\(error?.description ?? "")")
            #expect(error?.description.contains("mer2026") == false, "\(error?.description ?? "")")
        }
        let quoted = "host=/nonexistent/Secret-42 dbname=orders password=Secret-42"
        #expect(ConnectionString(quoted)?.passwords == ["Secret-42"])
        let error = #expect(throws: PostgresError.self) { try Connection(url: quoted, connectTimeout: 2) }
        #expect(error?.description.contains("/nonexistent/***") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("Secret-42") == false)
        let encoded = try #require(ConnectionString("postgresql://batch:Sum%25mer@orders-db.internal/orders"))
        #expect(encoded.passwords == ["Sum%25mer", "Sum%mer"], "as written and as decoded")
        #expect(ConnectionString("orders")?.options == ["dbname": "orders"], "a plain database name, as libpq reads it")
    }

    @Test func transactionsCommitOrRollBack() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TABLE t (id int PRIMARY KEY)")
        try connection.transaction { try $0.execute("INSERT INTO t VALUES (1)") }
        struct Planned: Error {}
        #expect(throws: Planned.self) {
            try connection.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (2)")
                throw Planned()
            }
        }
        #expect(!connection.isInTransaction)
        #expect(try connection.query("SELECT id FROM t ORDER BY id") { try $0.decode("id", as: Int.self) } == [1])
    }

    @Test(arguments: [SQLState.serializationFailure, .deadlockDetected])
    func transientFailuresAreRetried(_ sqlState: SQLState) throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TABLE t (id int)")
        var attempts = 0
        try connection.transaction(maxAttempts: 3) { connection in
            attempts += 1
            try connection.execute("INSERT INTO t VALUES (1)")
            if attempts == 1 {
                try connection.execute(
                    SQLStatement("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '\(sqlState)'; END $$", source: "test"))
            }
        }
        #expect(attempts == 2)
        #expect(try connection.queryFirst("SELECT count(*) AS n FROM t") { try $0.decode("n", as: Int.self) } == 1)

        attempts = 0
        let error = #expect(throws: PostgresError.self) {
            try connection.transaction(maxAttempts: 3) { connection in
                attempts += 1
                try connection.execute(
                    SQLStatement("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '\(sqlState)'; END $$", source: "test"))
            }
        }
        #expect(attempts == 3)
        #expect(error?.sqlState == sqlState)
    }

    @Test func statementAndLockTimeoutsApply() throws {
        let database = try TestDatabase.create(migrated: false)
        let connection = try database.connect()
        try connection.setTimeouts(statement: .milliseconds(100), lock: .milliseconds(50))
        let slow = #expect(throws: PostgresError.self) { try connection.execute("SELECT pg_sleep(5)") }
        #expect(slow?.sqlState == .queryCanceled)
        #expect(slow?.isTimeout == true)

        try connection.execute("CREATE TABLE t (id int)")
        let holder = try database.connect()
        try holder.execute("BEGIN")
        try holder.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE")
        let blocked = #expect(throws: PostgresError.self) { try connection.execute("INSERT INTO t VALUES (1)") }
        #expect(blocked?.sqlState == .lockNotAvailable)
        try holder.execute("ROLLBACK")
    }

    @Test func streamingStopsCleanlyWhenTheReaderThrows() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        struct Enough: Error {}
        var seen = 0
        #expect(throws: Enough.self) {
            try connection.stream("SELECT n FROM generate_series(1, 1000000) AS n") { _ in
                seen += 1
                if seen == 10 { throw Enough() }
            }
        }
        #expect(seen == 10)
        #expect(try connection.queryFirst("SELECT 2 AS two") { try $0.decode("two", as: Int.self) } == 2)
    }
}

@Suite("Streaming keeps memory flat", .serialized)
struct StreamingMemoryTests {
    /// The resident set size of this process in kilobytes, from /proc.
    static func residentKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    @Test func twoMillionRowsAreNeverHeldAtOnce() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let before = try Self.residentKilobytes()
        var peak = before
        var rows = 0
        var sum: Int64 = 0
        try connection.stream(
            "SELECT n, repeat('x', 60) AS padding, now() AS at FROM generate_series(1, 2000000) AS n"
        ) { row in
            rows += 1
            sum += try row.decode("n", as: Int64.self)
            if rows % 100_000 == 0 { peak = max(peak, try Self.residentKilobytes()) }
        }
        #expect(rows == 2_000_000)
        #expect(sum == 2_000_000 * 2_000_001 / 2)
        // Held whole, these rows take about 200 MB in libpq alone; streamed, the growth stays small.
        #expect(peak - before < 40_000, "resident size grew by \(peak - before) kB while streaming")
    }
}
