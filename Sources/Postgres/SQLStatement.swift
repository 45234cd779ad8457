/// A SQL statement and where it came from, so that errors can name the file.
public struct SQLStatement: Sendable, ExpressibleByStringLiteral {
    public var text: String
    /// A file path such as `queries/passes/stuck_carts_claim.sql`, or a short label.
    public var source: String
    /// Whether the statement is prepared once per connection (`PQprepare`) and then executed by name, so the
    /// server parses and plans it once instead of on every call. See `prepared`.
    public var isPrepared = false

    public init(_ text: String, source: String) {
        self.text = text
        self.source = source
    }

    public init(stringLiteral text: String) {
        self.init(text, source: "inline SQL")
    }

    /// The same statement, prepared on its first use on a connection and executed by name after that: for
    /// statements a run executes many times (the recovery send path), not for one-off report queries, which
    /// would pay a round trip for the preparation.
    public var prepared: SQLStatement {
        var copy = self
        copy.isPrepared = true
        return copy
    }
}
