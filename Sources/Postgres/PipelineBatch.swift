/// The statements of one pipeline (`Connection.pipeline`), queued in order and sent to the server together.
public final class PipelineBatch {
    struct Entry {
        let statement: SQLStatement
        /// The parameters' text, taken when queued (libpq copies it again when the statement is sent).
        let parameters: [String?]
    }

    private(set) var entries: [Entry] = []

    init() {}

    /// Queues `statement` with its bound `parameters` (never interpolated into the text) and returns its position
    /// in the pipeline's results.
    @discardableResult
    public func query(_ statement: SQLStatement, _ parameters: [any PostgresEncodable] = []) -> Int {
        entries.append(Entry(statement: statement, parameters: parameters.map(\.postgresText)))
        return entries.count - 1
    }

    /// How many statements are queued.
    public var count: Int { entries.count }
}
