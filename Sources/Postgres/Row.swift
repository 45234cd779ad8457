import CLibPQ

/// One row of a result. Values are read in PostgreSQL's text format and decoded on access.
///
/// A row is only valid inside the closure that received it: it reads from the libpq result that owns it.
public struct Row {
    @usableFromInline let result: Result
    @usableFromInline let index: Int32
    /// The positions of the columns by name, shared by every row of a statement's results.
    @usableFromInline let columns: ColumnPositions

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

    // The decoding methods are inlinable so that each caller's module specializes them for the types it reads:
    // unspecialized, every value read looked its generic metadata up at run time (a tenth of the candidate read).

    /// Decodes a non-NULL value by column name; a NULL or malformed value throws an error naming the column.
    @inlinable
    public func decode<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        let position = try self.position(of: column)
        guard let value = try decodeIfPresent(at: position, as: type) else {
            throw decodingError(position, "is NULL", wanted: type)
        }
        return value
    }

    /// Decodes a nullable value by column name: nil for NULL, an error for a value that is not a `Value`.
    @inlinable
    public func decodeIfPresent<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws
        -> Value?
    {
        try decodeIfPresent(at: position(of: column), as: type)
    }

    /// Decodes a non-NULL value by position.
    @inlinable
    public func decode<Value: PostgresDecodable>(at column: Int, as type: Value.Type = Value.self) throws -> Value {
        guard let value = try decodeIfPresent(at: column, as: type) else {
            throw decodingError(column, "is NULL", wanted: type)
        }
        return value
    }

    /// Decodes a nullable value by position.
    @inlinable
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

    @usableFromInline func position(of column: String) throws -> Int {
        let position = columns.position(of: column, in: result.pointer)
        guard position >= 0 else {
            throw PostgresError(
                kind: .decoding,
                message: "the result has no column \"\(column)\" (columns: \(columnNames.joined(separator: ", ")))")
        }
        return position
    }

    @usableFromInline func decodingError<Value>(_ column: Int, _ problem: String, wanted: Value.Type) -> PostgresError {
        let name = column >= 0 && column < columnCount ? String(cString: PQfname(result.pointer, Int32(column))) : "?"
        return PostgresError(
            kind: .decoding, message: "column \"\(name)\" (index \(column)) \(problem) for type \(Value.self)")
    }
}

/// Owns one `PGresult` and clears it when released.
@usableFromInline final class Result {
    @usableFromInline let pointer: OpaquePointer
    /// Shared with the results before it when each row comes as a result of its own (single-row mode).
    let columns: ColumnPositions

    init(_ pointer: OpaquePointer, columns: ColumnPositions = ColumnPositions()) {
        self.pointer = pointer
        self.columns = columns
    }

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
            return try transform(Row(result: self, index: index, columns: columns))
        } catch let error as PostgresError {
            throw error.from(source)
        }
    }
}

/// Column positions by name, read from the first result that asks and kept for the statement's other rows:
/// `PQfnumber` copies and case-folds the name and compares it with every column, once per value read.
@usableFromInline final class ColumnPositions {
    private var positions: [String: Int]?

    init() {}

    /// The position of `name` in `result`'s columns, or -1. Names PostgreSQL would not case-fold (lower-case
    /// letters, digits, `_`) are looked up here; any other goes to `PQfnumber`, which folds or unquotes it.
    func position(of name: String, in result: OpaquePointer) -> Int {
        guard name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }) else {
            return Int(PQfnumber(result, name))
        }
        if positions == nil {
            var byName: [String: Int] = [:]
            for column in 0..<Int(PQnfields(result)) {
                let columnName = String(cString: PQfname(result, Int32(column)))
                if byName[columnName] == nil { byName[columnName] = column }  // the first, as PQfnumber finds it
            }
            positions = byName
        }
        return positions?[name] ?? -1
    }
}
