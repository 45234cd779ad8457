import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Transactions that share one exported snapshot")
struct SnapshotTests {
    @Test func aRowCommittedBetweenTheTwoStartsIsSeenByNeither() throws {
        let database = try TestDatabase.create(migrated: false)
        let writer = try database.connect()
        try writer.execute("CREATE TABLE t (id int PRIMARY KEY)")
        try writer.execute("INSERT INTO t VALUES (1)")
        let first = try database.connect()
        let second = try database.connect()
        let rows: SQLStatement = "SELECT count(*) AS n FROM t"

        let snapshot = try first.beginReadOnlyExportingSnapshot()
        try writer.execute("INSERT INTO t VALUES (2)")  // committed after the export, before the second starts
        try second.beginReadOnly(snapshot: snapshot)
        #expect(try first.queryFirst(rows) { try $0.decode("n", as: Int.self) } == 1)
        #expect(try second.queryFirst(rows) { try $0.decode("n", as: Int.self) } == 1,
                "the second transaction sees the first one's snapshot, not the row committed since")
        #expect(try writer.queryFirst(rows) { try $0.decode("n", as: Int.self) } == 2)
        let readOnly = #expect(throws: PostgresError.self) { try second.execute("INSERT INTO t VALUES (3)") }
        #expect(readOnly?.sqlState?.rawValue == "25006", "read only: \(String(describing: readOnly))")
        try second.rollback()
        try first.commit()
        #expect(!first.isInTransaction && !second.isInTransaction)
    }

    @Test func anIdentifierThatIsNotOneIsRefusedBeforeItReachesTheServer() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let error = #expect(throws: PostgresError.self) { try connection.beginReadOnly(snapshot: "1'; DROP TABLE t; --") }
        #expect(error?.description.contains("is not a snapshot identifier") == true)
        #expect(!connection.isInTransaction)
        let unknown = #expect(throws: PostgresError.self) { try connection.beginReadOnly(snapshot: "00000003-0000001B-1") }
        #expect(unknown?.message.contains("snapshot") == true, "\(String(describing: unknown))")
        #expect(!connection.isInTransaction, "the failed import leaves no transaction open")
    }
}
