import NightlyCore
import Postgres

/// Verifies that the order service's tables have every column the selected steps read or write (docs/tables.md).
struct ContractCheck {
    let queries: QueryLibrary

    /// Checks the tables and columns every step of `steps` declares (`NightlyStep.contract`).
    func verify(_ connection: Connection, steps: [any NightlyStep]) throws {
        let required = steps.reduce(into: [String: Set<String>]()) { union, step in
            for (table, columns) in step.contract { union[table, default: []].formUnion(columns) }
        }
        var present: [String: Set<String>] = [:]
        _ = try connection.query(
            try queries.statement("run/contract_columns.sql"), [Array(required.keys)]
        ) { row in
            present[try row.decode("table_name"), default: []].insert(try row.decode("column_name"))
        }
        for (table, columns) in required.sorted(by: { $0.key < $1.key }) {
            let columns = columns.sorted()
            let missing = columns.filter { !(present[table]?.contains($0) ?? false) }
            guard missing.isEmpty else {
                throw NightlyError.schemaMismatch(
                    present[table] == nil
                        ? "the table \(table) does not exist in database \(connection.databaseName); run `checkout-nightly migrate` or point --database-url at the order service's database"
                        : "the table \(table) lacks the column(s) \(missing.joined(separator: ", ")) the batch needs (docs/tables.md); the order service's schema is older than this build expects")
            }
        }
    }
}
