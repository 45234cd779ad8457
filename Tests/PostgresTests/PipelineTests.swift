import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Pipelines: several statements in one round trip")
struct PipelineTests {
    private func connectionWithTable() throws -> Connection {
        let connection = try TestDatabase.create(migrated: false).connect()
        try connection.execute("CREATE TABLE t (id int PRIMARY KEY, note text)")
        return connection
    }

    private func ids(_ connection: Connection) throws -> [Int] {
        try connection.query("SELECT id FROM t ORDER BY id") { try $0.decode("id", as: Int.self) }
    }

    @Test func resultsComeBackInTheOrderTheStatementsWereQueued() throws {
        let connection = try connectionWithTable()
        let insert = SQLStatement("INSERT INTO t (id, note) VALUES ($1::int, $2::text)", source: "queries/insert.sql")
        let results = try connection.pipeline { batch in
            batch.query(insert, [1, "one"])
            batch.query(insert.prepared, [2, "two"])
            batch.query(SQLStatement("SELECT id, note FROM t ORDER BY id DESC", source: "queries/read.sql"))
            batch.query(SQLStatement("SELECT $1::int * 2 AS doubled", source: "queries/double.sql").prepared, [21])
        }
        #expect(results.map(\.source) == ["queries/insert.sql", "queries/insert.sql", "queries/read.sql", "queries/double.sql"])
        #expect(try results[0].affectedRows() == 1)
        #expect(try results[1].affectedRows() == 1)
        #expect(try results[2].rows { try $0.decode("note", as: String.self) } == ["two", "one"])
        #expect(try results[3].firstRow { try $0.decode("doubled", as: Int.self) } == 42)
        #expect(results.allSatisfy { $0.error == nil })
    }

    @Test func anErrorInTheMiddleSkipsTheRestUndoesTheStartAndLeavesTheConnectionUsable() throws {
        let connection = try connectionWithTable()
        let insert = SQLStatement("INSERT INTO t (id) VALUES ($1::int)", source: "queries/insert.sql").prepared
        let results = try connection.pipeline { batch in
            batch.query(insert, [1])
            batch.query(insert, ["not a number"])
            batch.query(insert, [3])
        }
        #expect(results[0].error == nil)
        let failure = try #require(results[1].error)
        #expect(failure.kind == .server)
        #expect(failure.sqlState == .invalidTextRepresentation)
        #expect(failure.description.contains("queries/insert.sql"))
        #expect(results[2].error?.kind == .notRun)
        #expect(results[2].error?.source == "queries/insert.sql")
        #expect(throws: PostgresError.self) { try results[2].affectedRows() }
        // The pipeline was one implicit transaction: the first insert is undone with the failure.
        #expect(try ids(connection) == [])
        #expect(!connection.isInTransaction)
        // Usable again, pipelined or not, with the statement already prepared.
        #expect(try connection.pipeline { $0.query(insert, [4]) }.allSatisfy { $0.error == nil })
        try connection.execute(insert, [5])
        #expect(try ids(connection) == [4, 5])
    }

    @Test func aTransactionInsideAPipelineCommitsOrRollsBackAsAUnit() throws {
        let connection = try connectionWithTable()
        let insert = SQLStatement("INSERT INTO t (id) VALUES ($1::int)", source: "queries/insert.sql").prepared
        let failed = try connection.pipeline { batch in
            batch.query("BEGIN")
            batch.query(insert, [1])
            batch.query(insert, [1])
            batch.query("COMMIT")
        }
        #expect(failed[2].error?.sqlState == .uniqueViolation)
        #expect(failed[3].error?.kind == .notRun)
        #expect(!connection.isInTransaction)
        #expect(try ids(connection) == [])

        let committed = try connection.pipeline { batch in
            batch.query("BEGIN")
            batch.query(insert, [1])
            batch.query(insert, [2])
            batch.query("COMMIT")
        }
        #expect(committed.allSatisfy { $0.error == nil })
        #expect(try ids(connection) == [1, 2])
    }

    @Test func pipelineTransactionThrowsTheFailingStatementsErrorAndKeepsNothing() throws {
        let connection = try connectionWithTable()
        let insert = SQLStatement("INSERT INTO t (id) VALUES ($1::int)", source: "queries/insert.sql").prepared
        let returning = SQLStatement("INSERT INTO t (id) VALUES ($1::int) RETURNING id * 10 AS tenfold", source: "queries/returning.sql")
        let results = try connection.pipelineTransaction { batch in
            batch.query(insert, [1])
            batch.query(returning, [2])
        }
        #expect(results.count == 2)
        #expect(try results[1].firstRow { try $0.decode("tenfold", as: Int.self) } == 20)

        let error = #expect(throws: PostgresError.self) {
            try connection.pipelineTransaction { batch in
                batch.query(insert, [3])
                batch.query(returning, [2])
                batch.query(insert, [4])
            }
        }
        #expect(error?.sqlState == .uniqueViolation)
        #expect(error?.source == "queries/returning.sql")
        #expect(!connection.isInTransaction)
        #expect(try ids(connection) == [1, 2])
    }

    @Test func pipelineTransactionRunsAgainAfterASerializationFailure() throws {
        let connection = try connectionWithTable()
        try connection.execute("CREATE SEQUENCE attempts")
        // Fails on the first attempt only: nextval is not transactional, so the second attempt sees 2.
        let flaky = SQLStatement(
            "DO $$ BEGIN IF nextval('attempts') = 1 THEN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END IF; END $$",
            source: "queries/flaky.sql")
        _ = try connection.pipelineTransaction { batch in
            batch.query(SQLStatement("INSERT INTO t (id) VALUES (1)", source: "queries/insert.sql"))
            batch.query(flaky)
        }
        #expect(try ids(connection) == [1])
        #expect(try connection.queryFirst("SELECT last_value FROM attempts") { try $0.decode("last_value", as: Int.self) } == 2)
    }

    @Test func aStatementThatDoesNotParseIsReportedWithItsFileAndIsNotCached() throws {
        let connection = try connectionWithTable()
        let broken = SQLStatement("SELEC 1", source: "queries/broken.sql").prepared
        let results = try connection.pipeline { batch in
            batch.query(SQLStatement("SELECT 1 AS one", source: "queries/one.sql"))
            batch.query(broken)
        }
        #expect(results[0].error == nil)
        #expect(results[1].error?.sqlState == .syntaxError)
        #expect(results[1].error?.source == "queries/broken.sql")
        #expect(try connection.queryFirst("SELECT count(*) AS n FROM pg_prepared_statements") { try $0.decode("n", as: Int.self) } == 0)
    }
}
