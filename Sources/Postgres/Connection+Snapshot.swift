import Foundation

extension Connection {
    /// Opens a REPEATABLE READ READ ONLY transaction and exports its snapshot (`pg_export_snapshot()`): other
    /// sessions that open theirs with the returned identifier (`beginReadOnly(snapshot:)`) see exactly the
    /// committed data this one sees, for as long as this transaction stays open. End it with `commit()` or
    /// `rollback()`.
    public func beginReadOnlyExportingSnapshot() throws -> String {
        try execute(SQLStatement("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", source: "snapshot"))
        do {
            guard let snapshot = try queryFirst(
                SQLStatement("SELECT pg_export_snapshot() AS snapshot", source: "snapshot"), [],
                { try $0.decode("snapshot", as: String.self) })
            else { throw PostgresError(kind: .protocolViolation, message: "pg_export_snapshot() returned no row", source: "snapshot") }
            return snapshot
        } catch {
            try? rollback()
            throw error
        }
    }

    /// Opens a REPEATABLE READ READ ONLY transaction on the snapshot `snapshot` that another session's open
    /// transaction exported (`beginReadOnlyExportingSnapshot()`).
    public func beginReadOnly(snapshot: String) throws {
        // SET TRANSACTION SNAPSHOT takes a literal, not a parameter: the identifier the server exported is hex
        // digits and dashes, and anything else is refused before it reaches the SQL text.
        guard !snapshot.isEmpty, snapshot.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw PostgresError(kind: .protocolViolation, message: "\"\(snapshot)\" is not a snapshot identifier", source: "snapshot")
        }
        try execute(SQLStatement("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", source: "snapshot"))
        do {
            try execute(SQLStatement("SET TRANSACTION SNAPSHOT '\(snapshot)'", source: "snapshot"))
        } catch {
            try? rollback()
            throw error
        }
    }

    /// Commits the open transaction.
    public func commit() throws { try execute(SQLStatement("COMMIT", source: "transaction")) }

    /// Rolls the open transaction back.
    public func rollback() throws { try execute(SQLStatement("ROLLBACK", source: "transaction")) }
}
