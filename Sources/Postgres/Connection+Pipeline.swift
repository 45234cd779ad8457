import CLibPQ
import Foundation

extension Connection {
    /// Sends every statement `build` queues in one round trip (libpq pipeline mode: the statements, then one
    /// Sync) and returns each statement's result, in order. Statements marked `prepared` that this session has
    /// not prepared yet are prepared within the same round trip.
    ///
    /// When a statement fails, the server skips the rest up to the Sync: their results are `.notRun` errors.
    /// Without an explicit BEGIN the statements of one pipeline form one implicit transaction, so a failure also
    /// undoes the statements before it. A pipeline that opens a transaction (BEGIN … COMMIT) which then fails is
    /// rolled back before this returns, so the connection is usable again. A pipeline that runs inside a
    /// transaction already open (a `transaction { }`, or a BEGIN an earlier pipeline sent) leaves a failure to
    /// whoever opened it: two pipelines can share one transaction, the first locking and reading, the second
    /// writing and committing.
    ///
    /// Meant for one transaction's handful of statements: every statement is sent before any result is read,
    /// so results much larger than the socket buffers would stall the exchange.
    public func pipeline(_ build: (PipelineBatch) throws -> Void) throws -> [StatementResult] {
        let batch = PipelineBatch()
        try build(batch)
        if let encodingFailure = batch.encodingFailure { throw encodingFailure }
        guard batch.count > 0 else { return [] }
        let wasInTransaction = isInTransaction
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError("pipeline") }
        var exchange = PipelineExchange()
        var sendFailure: PostgresError?
        for (index, entry) in batch.entries.enumerated() {
            guard send(entry, index, &exchange) else {
                sendFailure = connectionError(entry.statement.source)
                break
            }
        }
        // The Sync goes out even after a failed send, so the server answers what it got and the results drain.
        if PQpipelineSync(handle) != 1, sendFailure == nil { sendFailure = connectionError("pipeline") }
        let results = receive(batch.entries, exchange)
        drainToSync()
        guard PQexitPipelineMode(handle) == 1 else { throw connectionError("pipeline") }
        if let sendFailure { throw sendFailure }
        if !wasInTransaction, PQtransactionStatus(handle) == PQTRANS_INERROR {
            try execute(SQLStatement("ROLLBACK", source: "pipeline"))
        }
        return results
    }

    /// BEGIN, the statements `build` queues, and COMMIT, in one round trip: they commit together or not at all.
    /// Throws the first statement's error (its source file and SQLSTATE) after rolling back; serialization
    /// failures and deadlocks run the pipeline again, as `transaction` does. Returns the queued statements'
    /// results (without BEGIN and COMMIT).
    public func pipelineTransaction(
        isolation: IsolationLevel = .readCommitted, maxAttempts: Int = 3, _ build: (PipelineBatch) throws -> Void
    ) throws -> [StatementResult] {
        precondition(!isInTransaction, "transactions do not nest; commit or roll back the open one first")
        return try retryingTransientFailures(maxAttempts: maxAttempts) {
            let results = try pipeline { batch in
                batch.query(SQLStatement("BEGIN ISOLATION LEVEL \(isolation.rawValue) READ WRITE", source: "transaction"))
                try build(batch)
                batch.query(SQLStatement("COMMIT", source: "transaction"))
            }
            let errors = results.compactMap(\.error)
            if let failure = errors.first(where: { $0.kind != .notRun }) ?? errors.first { throw failure }
            return Array(results.dropFirst().dropLast())
        }
    }

    // MARK: Internals

    /// What was sent, in order, so the results can be matched to the statements.
    private struct PipelineExchange {
        enum Step {
            /// A `PQsendPrepare` of `text` as `name`.
            case prepare(text: String, name: String)
            /// The statement queued at this position.
            case execute(Int)
        }
        var steps: [Step] = []
        /// Names of the statements this pipeline prepares, by text.
        var preparing: [String: String] = [:]
    }

    /// Sends one statement (after its preparation, when it is the first use on this session); false when libpq
    /// could not queue it.
    private func send(_ entry: PipelineBatch.Entry, _ index: Int, _ exchange: inout PipelineExchange) -> Bool {
        let statement = entry.statement
        var preparedName: String?
        if statement.isPrepared {
            if let name = preparedStatements.name(of: statement.text) ?? exchange.preparing[statement.text] {
                preparedName = name
            } else {
                let name = preparedStatements.newName()
                guard PQsendPrepare(handle, name, statement.text, 0, nil) == 1 else { return false }
                exchange.steps.append(.prepare(text: statement.text, name: name))
                exchange.preparing[statement.text] = name
                preparedName = name
            }
        }
        let sent = withCStringArray(entry.parameters) { values in
            let count = Int32(entry.parameters.count)
            if let preparedName {
                return PQsendQueryPrepared(handle, preparedName, count, values, nil, nil, 0)
            }
            return PQsendQueryParams(handle, statement.text, count, nil, values, nil, nil, 0)
        }
        guard sent == 1 else { return false }
        exchange.steps.append(.execute(index))
        return true
    }

    /// Reads one result per step sent and turns them into one `StatementResult` per queued statement.
    private func receive(_ entries: [PipelineBatch.Entry], _ exchange: PipelineExchange) -> [StatementResult] {
        var outcomes = entries.map { entry -> Swift.Result<Result, PostgresError> in
            .failure(notRunError(entry.statement.source))
        }
        var failedPreparations: [String: Result] = [:]
        for step in exchange.steps {
            let result = nextResult()
            switch step {
            case .prepare(let text, let name):
                guard let result, PQresultStatus(result.pointer) == PGRES_COMMAND_OK else {
                    if let result, PQresultStatus(result.pointer) != PGRES_PIPELINE_ABORTED {
                        failedPreparations[text] = result
                    }
                    continue
                }
                preparedStatements.record(name, for: text)
            case .execute(let index):
                let statement = entries[index].statement
                guard let result else {
                    outcomes[index] = .failure(connectionError(statement.source))
                    continue
                }
                switch PQresultStatus(result.pointer) {
                case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                    outcomes[index] = .success(result)
                case PGRES_PIPELINE_ABORTED:
                    outcomes[index] = .failure(
                        failedPreparations[statement.text].map { serverError($0, source: statement.source) }
                            ?? notRunError(statement.source))
                default:
                    let error = serverError(result, source: statement.source)
                    _ = forgettingDroppedStatements(error)
                    outcomes[index] = .failure(error)
                }
            }
        }
        return zip(entries, outcomes).map { StatementResult(source: $0.statement.source, outcome: $1) }
    }

    /// The first result of the next statement, reading its results up to the NULL that ends them; nil when the
    /// connection has no more (it was lost).
    private func nextResult() -> Result? {
        guard let first = PQgetResult(handle) else { return nil }
        while let extra = PQgetResult(handle) { PQclear(extra) }
        return Result(first)
    }

    /// Reads what is left up to and including the Sync's result (or until the connection has nothing more).
    private func drainToSync() {
        while let pointer = PQgetResult(handle) {
            let status = PQresultStatus(pointer)
            PQclear(pointer)
            if status == PGRES_PIPELINE_SYNC { return }
        }
    }

    private func notRunError(_ source: String) -> PostgresError {
        PostgresError(
            kind: .notRun, message: "not run, because an earlier statement of the same pipeline failed", source: source)
    }
}
