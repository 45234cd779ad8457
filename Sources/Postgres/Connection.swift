import CLibPQ
import Foundation

/// One libpq connection. Not thread-safe: use one connection per task or thread.
public final class Connection {
    let handle: OpaquePointer
    /// The statements prepared on this session so far (`SQLStatement.prepared`).
    var preparedStatements = PreparedStatementCache()
    /// The password in every form the connection was given it, removed from every message about the connection.
    private let passwords: [String]

    /// Connects with libpq's own rules: `url` (a `postgres://` URL or keyword string) when given, else the
    /// standard `PG*` environment variables and `~/.pgpass`. Sessions use UTC and ISO dates.
    /// A `url` libpq cannot parse is refused without libpq's message, which would quote pieces of it (a
    /// password's included); no message of the connection ever holds the password it was given.
    ///
    /// - Parameters:
    ///   - url: connection URL; passwords are best left to `PGPASSWORD` or a password file.
    ///   - connectTimeout: seconds to wait for the server before giving up.
    ///   - applicationName: shown in `pg_stat_activity`.
    public init(url: String? = nil, connectTimeout: Int = 10, applicationName: String = "checkout-nightly") throws {
        var keywords = ["connect_timeout", "application_name", "client_encoding"]
        var values = [String(connectTimeout), applicationName, "UTF8"]
        var passwords: [String] = []
        if let url, !url.isEmpty {
            guard let parsed = ConnectionString(url) else {
                throw PostgresError(
                    kind: .connection, message: "cannot connect to PostgreSQL: \(ConnectionString.unparseableAdvice)")
            }
            passwords = parsed.passwords
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
        // The password libpq settled on (the URL's, or PGPASSWORD's) joins the forms the URL wrote.
        if let effective = PQconninfo(connection) {
            passwords = ConnectionString.distinct(passwords + [ConnectionString.options(effective)["password"]].compactMap { $0 })
            PQconninfoFree(effective)
        }
        self.passwords = passwords
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = ConnectionStringRedactor.redact(
                String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines),
                hiding: passwords)
            PQfinish(connection)
            throw PostgresError(
                kind: .connection, message: "cannot connect to PostgreSQL: \(message)",
                hint: "check --database-url or the PGHOST, PGPORT, PGUSER and PGDATABASE variables")
        }
        handle = connection
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try configureSession()
    }

    /// Closes the connection and opens it again with the same parameters (a new server session: prepared
    /// statements are prepared again on first use).
    public func reconnect() throws {
        PQreset(handle)
        preparedStatements.removeAll()
        guard PQstatus(handle) == CONNECTION_OK else { throw connectionError("reconnect") }
        try configureSession()
    }

    private func configureSession() throws {
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
        _ = try checked(PQexec(handle, script.text), source: script.source)
    }

    /// Runs one statement and maps every row of its (small) result; use `stream` for large results.
    public func query<Value>(
        _ statement: SQLStatement, _ parameters: [any PostgresEncodable] = [], _ transform: (Row) throws -> Value
    ) throws -> [Value] {
        try run(statement, parameters).rows(from: statement.source, transform)
    }

    /// Runs one statement and maps its first row, or returns nil when there is none.
    public func queryFirst<Value>(
        _ statement: SQLStatement, _ parameters: [any PostgresEncodable] = [], _ transform: (Row) throws -> Value
    ) throws -> Value? {
        try run(statement, parameters).firstRow(from: statement.source, transform)
    }

    /// Streams the rows of one statement to `body` one at a time (libpq single-row mode), so memory stays flat
    /// however large the result is. When `body` throws, the statement is cancelled and the error rethrown.
    public func stream(
        _ statement: SQLStatement, _ parameters: [any PostgresEncodable] = [], _ body: (Row) throws -> Void
    ) throws {
        try reprepareOnceIfDropped(statement) { try stream(once: statement, parameters, body) }
    }

    private func stream(
        once statement: SQLStatement, _ parameters: [any PostgresEncodable], _ body: (Row) throws -> Void
    ) throws {
        let preparedName = statement.isPrepared ? try prepare(statement) : nil
        let sent = try withParameters(parameters, of: statement) { values, count in
            if let preparedName {
                PQsendQueryPrepared(handle, preparedName, count, values, nil, nil, 0)
            } else {
                PQsendQueryParams(handle, statement.text, count, nil, values, nil, nil, 0)
            }
        }
        guard sent == 1 else { throw connectionError(statement.source) }
        _ = PQsetSingleRowMode(handle)
        var failure: Error?
        let columns = ColumnPositions()
        while let pointer = PQgetResult(handle) {
            let result = Result(pointer, columns: columns)
            if failure != nil { continue }  // drain to NULL after an error or a cancel
            switch PQresultStatus(pointer) {
            case PGRES_SINGLE_TUPLE:
                do {
                    try body(Row(result: result, index: 0, columns: columns))
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
    /// failures and deadlocks (SQLSTATE 40001, 40P01), and prepared statements dropped behind the connection's
    /// back (26000), run `body` again, up to `maxAttempts` times in all.
    public func transaction<Value>(
        isolation: IsolationLevel = .readCommitted, readOnly: Bool = false, maxAttempts: Int = 3,
        _ body: (Connection) throws -> Value
    ) throws -> Value {
        precondition(!isInTransaction, "transactions do not nest; commit or roll back the open one first")
        let mode = readOnly ? "READ ONLY" : "READ WRITE"
        return try retryingTransientFailures(maxAttempts: maxAttempts) {
            try execute(SQLStatement("BEGIN ISOLATION LEVEL \(isolation.rawValue) \(mode)", source: "transaction"))
            do {
                let value = try body(self)
                try execute(SQLStatement("COMMIT", source: "transaction"))
                return value
            } catch {
                if isInTransaction { _ = try? execute(SQLStatement("ROLLBACK", source: "transaction")) }
                throw error
            }
        }
    }

    /// Runs `attempt` up to `maxAttempts` times while it fails with a serialization failure, a deadlock or a
    /// prepared statement dropped behind the connection's back, waiting a little longer before each new try.
    func retryingTransientFailures<Value>(maxAttempts: Int, _ attempt: () throws -> Value) throws -> Value {
        var attempts = 1
        while true {
            do {
                return try attempt()
            } catch let error as PostgresError
                where (error.isTransient || error.sqlState == .invalidSQLStatementName) && attempts < maxAttempts
            {
                attempts += 1
                Thread.sleep(forTimeInterval: 0.05 * Double(attempts * attempts))
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
        guard statement.isPrepared else {
            return try checked(
                try withParameters(parameters, of: statement) { values, count in
                    PQexecParams(handle, statement.text, count, nil, values, nil, nil, 0)
                }, source: statement.source)
        }
        return try reprepareOnceIfDropped(statement) {
            let name = try prepare(statement)
            return try checked(
                try withParameters(parameters, of: statement) { values, count in
                    PQexecPrepared(handle, name, count, values, nil, nil, 0)
                }, source: statement.source)
        }
    }

    /// The name `statement` is prepared under on this session, preparing it (one round trip) on first use.
    private func prepare(_ statement: SQLStatement) throws -> String {
        if let name = preparedStatements.name(of: statement.text) { return name }
        let name = preparedStatements.newName()
        _ = try checked(PQprepare(handle, name, statement.text, 0, nil), source: statement.source)
        preparedStatements.record(name, for: statement.text)
        return name
    }

    /// Runs `body`, which executes `statement`. When a prepared statement fails because it no longer exists on the
    /// server (`DISCARD ALL`, `DEALLOCATE`, a connection pooler), forgets every prepared name and, outside a
    /// transaction, runs `body` once more. Inside a transaction the error stands: `transaction` rolls back and
    /// runs its body again.
    private func reprepareOnceIfDropped<Value>(_ statement: SQLStatement, _ body: () throws -> Value) throws -> Value {
        guard statement.isPrepared else { return try body() }
        do {
            return try body()
        } catch let error as PostgresError where error.sqlState == .invalidSQLStatementName {
            preparedStatements.removeAll()
            guard !isInTransaction else { throw error }
            return try body()
        }
    }

    /// `error`, after forgetting every prepared name if the error says one of them no longer exists.
    func forgettingDroppedStatements(_ error: Error) -> Error {
        if let error = error as? PostgresError, error.sqlState == .invalidSQLStatementName {
            preparedStatements.removeAll()
        }
        return error
    }

    /// The result of a statement that has run, or its error naming `source`.
    private func checked(_ pointer: OpaquePointer?, source: String) throws -> Result {
        guard let pointer else { throw connectionError(source) }
        let result = Result(pointer)
        switch PQresultStatus(pointer) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            throw serverError(result, source: source)
        }
    }

    private func cancelRunningStatement() {
        guard let cancel = PQgetCancel(handle) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
        PQfreeCancel(cancel)
    }

    func serverError(_ result: Result, source: String) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result.pointer, code) else { return nil }
            return String(cString: value)
        }
        guard let message = field(CLibPQ_DIAG_MESSAGE_PRIMARY) else {
            return connectionError(source)
        }
        return PostgresError(
            kind: .server, message: message, sqlState: field(CLibPQ_DIAG_SQLSTATE).map(SQLState.init(rawValue:)),
            detail: field(CLibPQ_DIAG_MESSAGE_DETAIL), hint: field(CLibPQ_DIAG_MESSAGE_HINT), source: source)
    }

    func connectionError(_ source: String) -> PostgresError {
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        let kind: PostgresError.Kind = PQstatus(handle) == CONNECTION_OK ? .protocolViolation : .connection
        return PostgresError(
            kind: kind,
            message: message.isEmpty ? "the connection failed" : ConnectionStringRedactor.redact(message, hiding: passwords),
            source: source)
    }
}

/// Calls `body` with a NULL-terminated-string array for `strings`, valid only during the call.
func withCStringArray<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } } + [nil]
    defer { copies.forEach { free($0) } }
    let constants = copies.map { UnsafePointer($0) }
    return constants.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Calls `body` with the parameters' text; throws, before anything is sent, when one has no PostgreSQL text.
func withParameters<R>(
    _ parameters: [any PostgresEncodable], of statement: SQLStatement,
    _ body: (UnsafePointer<UnsafePointer<CChar>?>, Int32) -> R
) throws -> R {
    let texts: [String?]
    do {
        texts = try parameters.map { try $0.postgresText }
    } catch let error as PostgresError {
        throw error.from(statement.source)
    }
    return withCStringArray(texts) { body($0, Int32(parameters.count)) }
}
