import Foundation
import Postgres

/// Fills empty contract tables with realistic demo data, set-based and deterministic (`queries/seed/*.sql`).
public struct Seeder {
    let queries: QueryLibrary

    public init(queries: QueryLibrary) { self.queries = queries }

    /// Seeds `carts` carts with their customers, items and orders, as seen at `now`. The same `randomSeed`
    /// gives the same rows. `progress` is called before each statement with its file name.
    public func seed(
        _ connection: Connection, carts: Int, now: Date, randomSeed: Int64,
        progress: (_ index: Int, _ total: Int, _ file: String) -> Void = { _, _, _ in }
    ) throws {
        let isEmpty = try connection.queryFirst(try queries.statement("seed/is_empty.sql")) {
            try $0.decode("empty", as: Bool.self)
        }
        guard isEmpty == true else {
            throw NightlyError.notEmpty(
                "seed fills empty tables only, but \(connection.databaseName) already holds carts, customers or orders; seed a fresh database")
        }
        let files = try queries.files(in: "seed")
        let parameters = NamedParameters(["carts": carts, "now": now, "seed": randomSeed])
        try connection.transaction { connection in
            for (index, file) in files.enumerated() {
                progress(index + 1, files.count, file)
                let statement = try queries.statement(file)
                let values = try parameters.bind(statement)
                // A file with values is one statement; one without may be a script of several.
                if values.isEmpty {
                    try connection.executeScript(statement)
                } else {
                    try connection.execute(statement, values)
                }
            }
        }
    }
}
