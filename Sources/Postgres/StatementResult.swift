/// What one statement of a pipeline produced: its rows and the number of rows it changed, or its error (which
/// names the statement's source file and carries the SQLSTATE).
public struct StatementResult {
    /// The statement's source, such as `queries/recovery/insert_message.sql`.
    public let source: String
    let outcome: Swift.Result<Result, PostgresError>

    /// The statement's error; for a statement after a failed one, a `.notRun` error.
    public var error: PostgresError? {
        if case .failure(let error) = outcome { return error }
        return nil
    }

    /// Rows changed by an INSERT, UPDATE or DELETE (0 for other statements); throws the statement's error.
    public func affectedRows() throws -> Int { try outcome.get().affectedRows }

    /// Maps every row of the result; throws the statement's error.
    public func rows<Value>(_ transform: (Row) throws -> Value) throws -> [Value] {
        try outcome.get().rows(from: source, transform)
    }

    /// Maps the first row, or returns nil when there is none; throws the statement's error.
    public func firstRow<Value>(_ transform: (Row) throws -> Value) throws -> Value? {
        try outcome.get().firstRow(from: source, transform)
    }
}
