/// The statements prepared on one server session, keyed by their SQL text, with the names they were prepared
/// under. Names come from a counter that only grows, so a name is never given twice on a connection, not even
/// after the cache is emptied (`DISCARD ALL`, a reconnect).
struct PreparedStatementCache {
    /// Names start with this prefix, which no SQL file of the project uses for a `PREPARE` of its own.
    static let namePrefix = "checkout_nightly_"

    private var names: [String: String] = [:]
    private var lastNumber = 0

    /// The name `text` is prepared under on this session, or nil when it is not prepared yet.
    func name(of text: String) -> String? { names[text] }

    /// A name never handed out before on this connection.
    mutating func newName() -> String {
        lastNumber += 1
        return Self.namePrefix + String(lastNumber)
    }

    /// Notes that the server has prepared `text` as `name`.
    mutating func record(_ name: String, for text: String) { names[text] = name }

    /// Forgets every statement: the server session no longer has them.
    mutating func removeAll() { names.removeAll() }

    /// How many statements are prepared on this session.
    var count: Int { names.count }
}
