/// A five-character SQLSTATE code from the server (PostgreSQL's appendix A, "PostgreSQL Error Codes"), with
/// named constants for the codes the batch reacts to, so no code base compares against bare literals.
public struct SQLState: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public var description: String { rawValue }

    /// Class 08, connection exception: the connection to the server failed or was lost.
    public var isConnectionException: Bool { rawValue.hasPrefix("08") }

    // Class 22: data exception.
    /// A parameter's text is not a valid value of its type (`'x'::int`).
    public static let invalidTextRepresentation: SQLState = "22P02"

    // Class 23: integrity constraint violation.
    public static let notNullViolation: SQLState = "23502"
    public static let foreignKeyViolation: SQLState = "23503"
    public static let uniqueViolation: SQLState = "23505"
    public static let checkViolation: SQLState = "23514"

    // Class 25 and 26: transaction state, statement names.
    public static let inFailedSQLTransaction: SQLState = "25P02"
    /// A prepared statement does not exist (after `DISCARD ALL` or `DEALLOCATE`, for example).
    public static let invalidSQLStatementName: SQLState = "26000"

    // Class 40: transaction rollback.
    public static let serializationFailure: SQLState = "40001"
    public static let deadlockDetected: SQLState = "40P01"

    // Class 42: syntax error or access rule violation.
    public static let insufficientPrivilege: SQLState = "42501"
    public static let syntaxError: SQLState = "42601"
    public static let undefinedTable: SQLState = "42P01"

    // Class 55 and 57: object state, operator intervention.
    /// `lock_timeout` expired, or `NOWAIT` / `SKIP LOCKED`-less locking found the row taken.
    public static let lockNotAvailable: SQLState = "55P03"
    /// `statement_timeout` expired, or the statement was cancelled.
    public static let queryCanceled: SQLState = "57014"
    public static let adminShutdown: SQLState = "57P01"
    public static let crashShutdown: SQLState = "57P02"
    public static let cannotConnectNow: SQLState = "57P03"

    // Class P0: PL/pgSQL.
    public static let raiseException: SQLState = "P0001"
}
