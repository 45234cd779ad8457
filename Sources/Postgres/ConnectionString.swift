import CLibPQ
import Foundation

/// A connection URL, keyword string or plain database name, read by libpq's own parser without connecting (as
/// `Connection` hands it to libpq: the `dbname` of `PQconnectdbParams` with `expand_dbname`).
///
/// libpq's message for a string it cannot parse quotes the string's pieces, a password's included
/// (`invalid percent-encoded token: "Sum%mer2026!"`), so that message is dropped: `init` fails and the caller
/// says only which setting cannot be read.
public struct ConnectionString: Sendable {
    /// The options the string sets, by libpq keyword (`host`, `dbname`, `user`, `password`, …), decoded.
    public let options: [String: String]
    /// Every form of the password the string holds: as written (percent-encoded, quoted) and as decoded. A
    /// message about the connection has each removed before it is shown (`ConnectionStringRedactor`).
    public let passwords: [String]

    /// What to tell an operator about a string libpq cannot parse; never a piece of the string.
    public static let unparseableAdvice =
        "libpq cannot parse the connection string (not shown: it may hold a password); write a postgresql://user@host/dbname URL with any %, @, : or / in a value percent-encoded (%25, %40, %3A, %2F), or host=… dbname=… user=… keywords, and give the password through PGPASSWORD or a password file"

    /// Parses `text`; nil when libpq cannot. A plain database name (no `=` and no URL scheme) is what libpq reads
    /// it as: the `dbname`.
    public init?(_ text: String) {
        let isConnectionString = text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") || text.contains("=")
        guard isConnectionString else {
            options = ["dbname": text]
            passwords = []
            return
        }
        var error: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(text, &error) else {
            if let error { PQfreemem(error) }
            return nil
        }
        defer { PQconninfoFree(parsed) }
        options = Self.options(parsed)
        passwords = Self.distinct([options["password"]].compactMap { $0 } + ConnectionStringRedactor.writtenPasswords(in: text))
    }

    /// The options of a libpq option array (from `PQconninfoParse` or `PQconninfo`) that hold a value.
    static func options(_ array: UnsafeMutablePointer<PQconninfoOption>) -> [String: String] {
        var options: [String: String] = [:]
        var option = array
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { options[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return options
    }

    /// The non-empty strings of `values`, each once, longest first (so a longer form is removed before a
    /// shorter one inside it).
    static func distinct(_ values: [String]) -> [String] {
        Set(values.filter { !$0.isEmpty }).sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }
}
