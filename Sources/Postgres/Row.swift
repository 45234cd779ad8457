import CLibPQ

/// One row of a result. Values are read in PostgreSQL's text format and decoded on access.
///
/// A row is only valid inside the closure that received it: it reads from the libpq result that owns it.
public struct Row {
    let result: Result
    let index: Int32

    /// The number of columns.
    public var columnCount: Int { Int(PQnfields(result.pointer)) }

    /// The column names, in order.
    public var columnNames: [String] { (0..<Int32(columnCount)).map { String(cString: PQfname(result.pointer, $0)) } }

    /// The PostgreSQL type OID of column `column` (such as 1184 for `timestamptz`), for generic result readers.
    public func typeOID(at column: Int) -> UInt32 { UInt32(PQftype(result.pointer, Int32(column))) }

    /// The raw text of column `column`, or nil for NULL.
    public func text(at column: Int) -> String? {
        let column = Int32(column)
        guard PQgetisnull(result.pointer, index, column) == 0 else { return nil }
        return String(cString: PQgetvalue(result.pointer, index, column))
    }

    /// Decodes a non-NULL value by column name; a NULL or malformed value throws an error naming the column.
    public func decode<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        let position = try self.position(of: column)
        guard let value = try decodeIfPresent(at: position, as: type) else {
            throw decodingError(position, "is NULL", wanted: type)
        }
        return value
    }

    /// Decodes a nullable value by column name: nil for NULL, an error for a value that is not a `Value`.
    public func decodeIfPresent<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws
        -> Value?
    {
        try decodeIfPresent(at: position(of: column), as: type)
    }

    /// Decodes a non-NULL value by position.
    public func decode<Value: PostgresDecodable>(at column: Int, as type: Value.Type = Value.self) throws -> Value {
        guard let value = try decodeIfPresent(at: column, as: type) else {
            throw decodingError(column, "is NULL", wanted: type)
        }
        return value
    }

    /// Decodes a nullable value by position.
    public func decodeIfPresent<Value: PostgresDecodable>(at column: Int, as type: Value.Type = Value.self) throws
        -> Value?
    {
        guard column >= 0, column < columnCount else {
            throw decodingError(column, "does not exist (the row has \(columnCount) columns)", wanted: type)
        }
        guard let text = text(at: column) else { return nil }
        guard let value = Value(postgresText: text) else {
            let sample = text.count > 40 ? String(text.prefix(40)) + "…" : text
            throw decodingError(column, "holds \"\(sample)\", which is not a valid value", wanted: type)
        }
        return value
    }

    private func position(of column: String) throws -> Int {
        let position = Int(PQfnumber(result.pointer, column))
        guard position >= 0 else {
            throw PostgresError(
                kind: .decoding,
                message: "the result has no column \"\(column)\" (columns: \(columnNames.joined(separator: ", ")))")
        }
        return position
    }

    private func decodingError<Value>(_ column: Int, _ problem: String, wanted: Value.Type) -> PostgresError {
        let name = column >= 0 && column < columnCount ? String(cString: PQfname(result.pointer, Int32(column))) : "?"
        return PostgresError(
            kind: .decoding, message: "column \"\(name)\" (index \(column)) \(problem) for type \(Value.self)")
    }
}

/// Owns one `PGresult` and clears it when released.
final class Result {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { PQclear(pointer) }

    var rowCount: Int { Int(PQntuples(pointer)) }

    /// Rows changed by an INSERT, UPDATE or DELETE (0 for other statements).
    var affectedRows: Int { Int(String(cString: PQcmdTuples(pointer))) ?? 0 }

    /// Maps every row; a decoding error names `source`, the statement's file.
    func rows<Value>(from source: String, _ transform: (Row) throws -> Value) throws -> [Value] {
        try (0..<Int32(rowCount)).map { try row($0, from: source, transform) }
    }

    /// Maps the first row, or returns nil when there is none.
    func firstRow<Value>(from source: String, _ transform: (Row) throws -> Value) throws -> Value? {
        rowCount > 0 ? try row(0, from: source, transform) : nil
    }

    private func row<Value>(_ index: Int32, from source: String, _ transform: (Row) throws -> Value) throws -> Value {
        do {
            return try transform(Row(result: self, index: index))
        } catch let error as PostgresError {
            throw error.from(source)
        }
    }
}
