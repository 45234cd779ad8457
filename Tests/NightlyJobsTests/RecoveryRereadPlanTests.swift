import Foundation
import NightlyJobs
import Postgres
import Testing
import TestSupport

/// The send transaction's re-read (`queries/recovery/reread.sql`) is a prepared statement PostgreSQL plans once
/// per connection: planning it for every message was a third of the database's work on the send path
/// (docs/performance.md).
@Suite("Recovery: the re-read under lock")
struct RecoveryRereadPlanTests {
    @Test func theRereadKeepsOnePlanPerConnectionAndReadsEachCartBack() throws {
        let database = try TestDatabase.seeded(carts: 3000, now: testNow)
        let connection = try database.connect()
        try connection.execute("ANALYZE")
        let queries = QueryLibrary(directory: Repository.queries)
        let candidates = try connection.query(
            try queries.statement("recovery/candidates.sql"), [testNow, 7200.0, false]
        ) { try $0.decode("id", as: UUID.self) }
        #expect(candidates.count >= 20)
        let reread = try queries.statement("recovery/reread.sql").prepared
        for cart in candidates.prefix(20) {
            #expect(try connection.queryFirst(reread, [testNow, 7200.0, [cart]]) { try $0.decode("id", as: UUID.self) } == cart)
        }
        let batch = Array(candidates.prefix(20)) + [UUID()]
        #expect(Set(try connection.query(reread, [testNow, 7200.0, batch]) { try $0.decode("id", as: UUID.self) }) == Set(candidates.prefix(20)))
        let plans = try connection.queryFirst(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1::text", [reread.text]
        ) { (generic: try $0.decode("generic_plans", as: Int.self), custom: try $0.decode("custom_plans", as: Int.self)) }
        #expect((plans?.generic ?? 0) >= 15, "PostgreSQL settled on one plan after its first custom ones: \(String(describing: plans))")
    }

    /// On the night recovery is switched on the ledger was analyzed empty: a plan that scans it would be the
    /// cheapest by the statistics and grow slower with every message recorded.
    @Test func theSendTransactionLooksTheLedgerUpByIndexWhenItWasAnalyzedEmpty() throws {
        let database = try TestDatabase.seeded(carts: 500, now: testNow)
        let connection = try database.connect()
        try connection.execute("ANALYZE")
        let queries = QueryLibrary(directory: Repository.queries)
        let cart = try #require(try connection.queryFirst(
            try queries.statement("recovery/candidates.sql"), [testNow, 7200.0, false]) { try $0.decode("id", as: UUID.self) })
        let reread = try queries.statement("recovery/reread.sql")
        try connection.execute("BEGIN")
        try connection.execute(try queries.statement("recovery/index_lookups.sql"))
        let plan = try connection.query(
            SQLStatement("EXPLAIN " + reread.text, source: reread.source), [testNow, 7200.0, [cart]]
        ) { try $0.decode("\"QUERY PLAN\"", as: String.self) }.joined(separator: "\n")
        try connection.execute("ROLLBACK")
        for ledger in ["recovery_messages", "recovery_holdouts"] {
            #expect(plan.contains("Index") && !plan.contains("Seq Scan on \(ledger)"), "\(plan)")
        }
    }
}
