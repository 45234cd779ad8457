import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Prepared statements: prepared once per connection")
struct PreparedStatementTests {
    private let preparedCount = SQLStatement("SELECT count(*) AS n FROM pg_prepared_statements", source: "test")

    private func countPrepared(_ connection: Connection) throws -> Int {
        try connection.queryFirst(preparedCount) { try $0.decode("n", as: Int.self) } ?? -1
    }

    @Test func aStatementIsPreparedOnceAndSurvivesManyCalls() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TABLE t (id int PRIMARY KEY, note text)")
        let insert = SQLStatement("INSERT INTO t (id, note) VALUES ($1::int, $2::text)", source: "queries/insert.sql").prepared
        let read = SQLStatement("SELECT note FROM t WHERE id = $1::int", source: "queries/read.sql").prepared
        for id in 1...500 {
            try connection.execute(insert, [id, "note \(id)"])
            #expect(try connection.queryFirst(read, [id]) { try $0.decode("note", as: String.self) } == "note \(id)")
        }
        _ = try connection.pipeline { batch in
            for id in 501...600 { batch.query(insert, [id, "note \(id)"]) }
        }
        var streamed = 0
        try connection.stream(read, [600]) { _ in streamed += 1 }
        #expect(streamed == 1)
        #expect(try connection.queryFirst("SELECT count(*) AS n FROM t") { try $0.decode("n", as: Int.self) } == 600)
        // Two statements on the server, each prepared once, under names of this project's own prefix.
        let names = try connection.query("SELECT name FROM pg_prepared_statements ORDER BY name") { try $0.decode("name", as: String.self) }
        #expect(names.count == 2)
        #expect(names.allSatisfy { $0.hasPrefix("checkout_nightly_") })
    }

    @Test func parametersAreBoundNeverInterpolated() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TABLE t (id int PRIMARY KEY, note text)")
        let hostile = "x'); DROP TABLE t; --"
        let insert = SQLStatement("INSERT INTO t (id, note) VALUES ($1::int, $2::text)", source: "queries/insert.sql").prepared
        try connection.execute(insert, [1, hostile])
        _ = try connection.pipeline { $0.query(insert, [2, hostile]) }
        #expect(try connection.query("SELECT note FROM t ORDER BY id") { try $0.decode("note", as: String.self) } == [hostile, hostile])
        // The server holds the statement with its placeholders, not the values.
        let text = try connection.queryFirst("SELECT statement FROM pg_prepared_statements") { try $0.decode("statement", as: String.self) }
        #expect(text == insert.text)
    }

    @Test func statementsArePreparedAgainAfterDiscardAllOrAReconnect() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let double = SQLStatement("SELECT $1::int * 2 AS doubled", source: "queries/double.sql").prepared
        func doubled(_ value: Int) throws -> Int? { try connection.queryFirst(double, [value]) { try $0.decode("doubled", as: Int.self) } }
        #expect(try doubled(1) == 2)

        try connection.executeScript("DISCARD ALL")
        #expect(try countPrepared(connection) == 0)
        #expect(try doubled(2) == 4)
        #expect(try countPrepared(connection) == 1)

        // Inside a transaction the failed attempt is rolled back and the whole body runs again.
        try connection.executeScript("DEALLOCATE ALL")
        let inTransaction = try connection.transaction { _ in try doubled(3) }
        #expect(inTransaction == 6)

        // A pipeline reports the dropped statement once, then prepares it again.
        try connection.executeScript("DEALLOCATE ALL")
        let dropped = try connection.pipeline { $0.query(double, [4]) }
        #expect(dropped[0].error?.sqlState == .invalidSQLStatementName)
        #expect(try connection.pipeline { $0.query(double, [4]) }[0].firstRow { try $0.decode("doubled", as: Int.self) } == 8)

        try connection.reconnect()
        #expect(try countPrepared(connection) == 0)
        #expect(try doubled(5) == 10)
        #expect(try connection.queryFirst("SELECT current_setting('TimeZone') AS zone") { try $0.decode("zone", as: String.self) } == "UTC")
    }
}
