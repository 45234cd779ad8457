import CLibPQ
import Foundation

/// A SQL statement and where it came from, so that errors can name the file.
public struct SQLStatement: Sendable, ExpressibleByStringLiteral {
    public var text: String
    /// A file path such as `queries/passes/stuck_carts_claim.sql`, or a short label.
    public var source: String

    public init(_ text: String, source: String) {
        self.text = text
        self.source = source
    }

    public init(stringLiteral text: String) {
        self.init(text, source: "inline SQL")
    }
}

/// One libpq connection. Not thread-safe: use one connection per task or thread.
public final class Connection {
    private let handle: OpaquePointer

    /// Connects with libpq's own rules: `url` (a `postgres://` URL or keyword string) when given, else the
    /// standard `PG*` environment variables and `~/.pgpass`. Sessions use UTC and ISO dates.
    ///
    /// - Parameters:
    ///   - url: connection URL; passwords are best left to `PGPASSWORD` or a password file.
    ///   - connectTimeout: seconds to wait for the server before giving up.
    ///   - applicationName: shown in `pg_stat_activity`.
    public init(url: String? = nil, connectTimeout: Int = 10, applicationName: String = "checkout-nightly") throws {
        var keywords = ["connect_timeout", "application_name", "client_encoding"]
        var values = [String(connectTimeout), applicationName, "UTF8"]
        if let url, !url.isEmpty {
            // With expand_dbname the first "dbname" is parsed as a URL/keyword string; later keywords override it,
            // so the URL goes first and our settings after it only where the URL does not set them.
            keywords.insert("dbname", at: 0)
            values.insert(url, at: 0)
        }
        let connection = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = ConnectionStringRedactor.redact(
                String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines))
            PQfinish(connection)
            throw PostgresError(
                kind: .connection, message: "cannot connect to PostgreSQL: \(message)",
                hint: "check --database-url or the PGHOST, PGPORT, PGUSER and PGDATABASE variables")
        }
        handle = connection
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try execute("SET DateStyle = ISO")
        try execute("SET TimeZone = 'UTC'")
    }

    deinit { PQfinish(handle) }

    /// The database this connection is attached to.
    public var databaseName: String { String(cString: PQdb(handle)) }

    /// True while a transaction block is open on this connection.
    public var isInTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    // MARK: Statements

    /// Runs one statement with bound parameters and returns the number of rows it changed.
    @discardableResult
    public func execute(_ statement: SQLStatement, _ parameters: [any PostgresEncodable] = []) throws -> Int {
        try run(statement, parameters).affectedRows
    }

    /// Runs a script of several statements that takes no parameters, such as a migration file.
    /// Values never go into a script: statements with values use `execute` and bound parameters.
    public func executeScript(_ script: SQLStatement) throws {
        guard let pointer = PQexec(handle, script.text) else { throw connectionError(script.source) }
        let result = Result(pointer)
        switch PQresultStatus(pointer) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            throw serverError(result, source: script.source)
        }
    }

    /// Runs one statement and maps every row of its (small) result; use `stream` for large results.
    public func query<Value>(
        _ statement: SQLStatement, _ parameters: [any PostgresEncodable] = [], _ transform: (Row) throws -> Value
    ) throws -> [Value] {
        let result = try run(statement, parameters)
        return try (0..<Int32(result.rowCount)).map { index in
            do {
                return try transform(Row(result: result, index: index))
            } catch let error as PostgresError {
                throw error.from(statement.source)
            }
        }
    }

    /// Runs one statement and maps its first row, or returns nil when there is none.
    public func queryFirst<Value>(
        _ statement: SQLStatement, _ parameters: [any PostgresEncodable] = [], _ transform: (Row) throws -> Value
    ) throws -> Value? {
        let result = try run(statement, parameters)
        guard result.rowCount > 0 else { return nil }
        do {
            return try transform(Row(result: result, index: 0))
        } catch let error as PostgresError {
            throw error.from(statement.source)
        }
    }

    /// Streams the rows of one statement to `body` one at a time (libpq single-row mode), so memory stays flat
    /// however large the result is. When `body` throws, the statement is cancelled and the error rethrown.
    public func stream(
        _ statement: SQLStatement, _ parameters: [any PostgresEncodable] = [], _ body: (Row) throws -> Void
    ) throws {
        let sent = withParameters(parameters) { values, count in
            PQsendQueryParams(handle, statement.text, count, nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw connectionError(statement.source) }
        _ = PQsetSingleRowMode(handle)
        var failure: Error?
        while let pointer = PQgetResult(handle) {
            let result = Result(pointer)
            if failure != nil { continue }  // drain to NULL after an error or a cancel
            switch PQresultStatus(pointer) {
            case PGRES_SINGLE_TUPLE:
                do {
                    try body(Row(result: result, index: 0))
                } catch let error as PostgresError {
                    failure = error.from(statement.source)
                    cancelRunningStatement()
                } catch {
                    failure = error
                    cancelRunningStatement()
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                break
            default:
                failure = serverError(result, source: statement.source)
            }
        }
        if let failure { throw failure }
    }

    // MARK: Transactions and session settings

    /// How strictly concurrent transactions are isolated.
    public enum IsolationLevel: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` inside BEGIN … COMMIT. Any error rolls the transaction back and is rethrown; serialization
    /// failures and deadlocks (SQLSTATE 40001, 40P01) run `body` again, up to `maxAttempts` times in all.
    public func transaction<Value>(
        isolation: IsolationLevel = .readCommitted, readOnly: Bool = false, maxAttempts: Int = 3,
        _ body: (Connection) throws -> Value
    ) throws -> Value {
        precondition(!isInTransaction, "transactions do not nest; commit or roll back the open one first")
        var attempt = 1
        while true {
            let mode = readOnly ? "READ ONLY" : "READ WRITE"
            try execute(SQLStatement("BEGIN ISOLATION LEVEL \(isolation.rawValue) \(mode)", source: "transaction"))
            do {
                let value = try body(self)
                try execute(SQLStatement("COMMIT", source: "transaction"))
                return value
            } catch {
                if isInTransaction { _ = try? execute(SQLStatement("ROLLBACK", source: "transaction")) }
                if let error = error as? PostgresError, error.isTransient, attempt < maxAttempts {
                    attempt += 1
                    Thread.sleep(forTimeInterval: 0.05 * Double(attempt * attempt))
                    continue
                }
                throw error
            }
        }
    }

    /// Sets how long one statement may run and how long it may wait for a lock, for this session
    /// (nil leaves a setting unlimited).
    public func setTimeouts(statement: Duration?, lock: Duration?) throws {
        func milliseconds(_ duration: Duration?) -> String {
            guard let duration else { return "0" }
            return String(max(1, Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)))
        }
        try execute(
            "SELECT set_config('statement_timeout', $1, false), set_config('lock_timeout', $2, false)",
            [milliseconds(statement), milliseconds(lock)])
    }

    // MARK: Internals

    private func run(_ statement: SQLStatement, _ parameters: [any PostgresEncodable]) throws -> Result {
        let pointer = withParameters(parameters) { values, count in
            PQexecParams(handle, statement.text, count, nil, values, nil, nil, 0)
        }
        guard let pointer else { throw connectionError(statement.source) }
        let result = Result(pointer)
        switch PQresultStatus(pointer) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            throw serverError(result, source: statement.source)
        }
    }

    private func cancelRunningStatement() {
        guard let cancel = PQgetCancel(handle) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
        PQfreeCancel(cancel)
    }

    private func serverError(_ result: Result, source: String) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result.pointer, code) else { return nil }
            return String(cString: value)
        }
        guard let message = field(CLibPQ_DIAG_MESSAGE_PRIMARY) else {
            return connectionError(source)
        }
        return PostgresError(
            kind: .server, message: message, sqlState: field(CLibPQ_DIAG_SQLSTATE),
            detail: field(CLibPQ_DIAG_MESSAGE_DETAIL), hint: field(CLibPQ_DIAG_MESSAGE_HINT), source: source)
    }

    private func connectionError(_ source: String) -> PostgresError {
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        let kind: PostgresError.Kind = PQstatus(handle) == CONNECTION_OK ? .protocolViolation : .connection
        return PostgresError(
            kind: kind, message: message.isEmpty ? "the connection failed" : ConnectionStringRedactor.redact(message),
            source: source)
    }
}

/// Calls `body` with a NULL-terminated-string array for `strings`, valid only during the call.
private func withCStringArray<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } } + [nil]
    defer { copies.forEach { free($0) } }
    let constants = copies.map { UnsafePointer($0) }
    return constants.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withParameters<R>(
    _ parameters: [any PostgresEncodable], _ body: (UnsafePointer<UnsafePointer<CChar>?>, Int32) -> R
) -> R {
    withCStringArray(parameters.map { $0.postgresText }) { body($0, Int32(parameters.count)) }
}
