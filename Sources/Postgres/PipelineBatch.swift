/// The statements of one pipeline (`Connection.pipeline`), queued in order and sent to the server together.
public final class PipelineBatch {
    struct Entry {
        let statement: SQLStatement
        /// The parameters' text, taken when queued (libpq copies it again when the statement is sent).
        let parameters: [String?]
    }

    private(set) var entries: [Entry] = []
    /// The first parameter that had no PostgreSQL text: the pipeline throws it before sending anything.
    private(set) var encodingFailure: Error?

    init() {}

    /// Queues `statement` with its bound `parameters` (never interpolated into the text) and returns its position
    /// in the pipeline's results.
    @discardableResult
    public func query(_ statement: SQLStatement, _ parameters: [any PostgresEncodable] = []) -> Int {
        do {
            entries.append(Entry(statement: statement, parameters: try parameters.map { try $0.postgresText }))
        } catch {
            encodingFailure = encodingFailure ?? (error as? PostgresError)?.from(statement.source) ?? error
            entries.append(Entry(statement: statement, parameters: []))
        }
        return entries.count - 1
    }

    /// How many statements are queued.
    public var count: Int { entries.count }
}
