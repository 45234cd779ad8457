import Foundation

/// An error from the server, the connection or row decoding, with the context a reader needs to act on it.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public enum Kind: Sendable, Equatable {
        /// The server could not be reached or refused the connection.
        case connection
        /// The server rejected a statement.
        case server
        /// A value could not be decoded into the Swift type asked for.
        case decoding
        /// A parameter has no PostgreSQL text (a date outside `timestamptz`'s range); nothing was sent.
        case encoding
        /// The connection was in an unexpected state (for example a lost connection mid-statement).
        case protocolViolation
        /// The statement was not run: an earlier statement of the same pipeline failed.
        case notRun
    }

    public var kind: Kind
    /// The SQLSTATE code, when the server sent one.
    public var sqlState: SQLState?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// Where the statement came from: a SQL file such as `queries/reports/funnel.sql`, or a short label.
    public var source: String?

    public init(
        kind: Kind, message: String, sqlState: SQLState? = nil, detail: String? = nil, hint: String? = nil,
        source: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.source = source
    }

    /// True for serialization failures and deadlocks, which a transaction may simply retry.
    public var isTransient: Bool { sqlState == .serializationFailure || sqlState == .deadlockDetected }

    /// True when a `lock_timeout` or `statement_timeout` cancelled the statement.
    public var isTimeout: Bool { sqlState == .lockNotAvailable || sqlState == .queryCanceled }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let source { text += " in \(source)" }
        if let detail, !detail.isEmpty { text += "; detail: \(detail)" }
        if let hint, !hint.isEmpty { text += "; hint: \(hint)" }
        return text
    }

    /// Returns a copy that names `source` unless one is already named.
    public func from(_ source: String) -> PostgresError {
        var copy = self
        if copy.source == nil { copy.source = source }
        return copy
    }
}

/// Removes a password from connection text (URLs and `password=` keywords) before it is shown anywhere.
public enum ConnectionStringRedactor {
    /// `text` with URL user-info passwords and `password=` values masked, and every string of `secrets` (the
    /// passwords a connection string holds, `ConnectionString.passwords`) replaced wherever it appears, so that
    /// no piece libpq quotes from a connection string can carry a password out.
    public static func redact(_ text: String, hiding secrets: [String] = []) -> String {
        var result = text
        // postgres://user:secret@host → postgres://user:***@host
        if let regex = try? NSRegularExpression(pattern: #"(postgres(?:ql)?://[^:/@\s]*:)[^@\s]*@"#) {
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "$1***@")
        }
        if let regex = try? NSRegularExpression(pattern: #"(password\s*=\s*)('[^']*'|\S+)"#, options: .caseInsensitive) {
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "$1***")
        }
        for secret in secrets where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: "***")
        }
        return result
    }

    /// True when a connection URL or keyword string carries a password.
    public static func containsPassword(_ text: String) -> Bool {
        redact(text) != text
    }

    /// The passwords of `text` as written: a URL's user-info password and every `password=` value (a URL's
    /// query parameter or a keyword), without quotes, still percent-encoded where they were.
    static func writtenPasswords(in text: String) -> [String] {
        let patterns = [
            #"postgres(?:ql)?://[^:/@\s]*:([^@\s]*)@"#,
            #"password\s*=\s*'((?:[^'\\]|\\.)*)'"#,
            #"password\s*=\s*([^'\s&][^\s&]*)"#,
        ]
        return patterns.flatMap { pattern -> [String] in
            guard let regex = try? NSRegularExpression(pattern: pattern, options: .caseInsensitive) else { return [] }
            return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
                Range(match.range(at: 1), in: text).map { String(text[$0]) }
            }
        }
    }
}
