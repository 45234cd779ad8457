import Foundation
import Postgres

/// The indexes the batch wants on the order service's tables (`queries/indexes/order_service_indexes.sql`, which
/// `deploy/postgres/indexes.sql` links to), and which of them a database lacks. `migrate` builds them only on
/// tables it created itself (demo, tests); on production tables a DBA runs the file.
public struct OrderServiceIndexes: Sendable {
    /// One wanted index: its name and the statement that builds it.
    public struct Index: Sendable, Equatable {
        public let name: String
        public let statement: String
    }

    static let file = "indexes/order_service_indexes.sql"

    let queries: QueryLibrary

    public init(queries: QueryLibrary) { self.queries = queries }

    /// Every index of the file, in its order. A statement that is not `CREATE INDEX CONCURRENTLY IF NOT EXISTS
    /// <name> ON …` is an error naming it.
    public func wanted() throws -> [Index] {
        let source = try queries.statement(Self.file)
        let code = source.text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }.joined(separator: "\n")
        return try code.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }.map { statement in
                let words = statement.split(whereSeparator: \.isWhitespace).map(String.init)
                guard words.count > 7, words.prefix(6).map({ $0.uppercased() }) == ["CREATE", "INDEX", "CONCURRENTLY", "IF", "NOT", "EXISTS"],
                    words[7].uppercased() == "ON"
                else {
                    throw NightlyError.badQueryFile(
                        "\(source.source): every statement must be CREATE INDEX CONCURRENTLY IF NOT EXISTS <name> ON …; found \"\(statement.prefix(80))\"")
                }
                return Index(name: words[6], statement: statement.trimmingCharacters(in: CharacterSet(charactersIn: ";")) + ";")
            }
    }

    /// The wanted indexes `connection`'s database lacks (or holds only as INVALID, after a failed build), in the
    /// file's order: for the run's warning, which names each with its statement.
    public func missing(_ connection: Connection) throws -> [Index] {
        let wanted = try wanted()
        let missing = Set(try connection.query(
            try queries.statement("run/missing_indexes.sql"), [wanted.map(\.name)]
        ) { try $0.decode("name", as: String.self) })
        return wanted.filter { missing.contains($0.name) }
    }

    /// Builds every wanted index, one statement at a time outside any transaction.
    func build(_ connection: Connection) throws {
        for index in try wanted() {
            try connection.execute(SQLStatement(index.statement, source: "queries/\(Self.file) (\(index.name))"))
        }
    }
}
