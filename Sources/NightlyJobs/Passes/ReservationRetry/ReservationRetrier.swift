import Foundation
import Logging
import NightlyCore
import Postgres

/// The reservation-confirmation retry pass's work (plan task 2.6, docs/reservation-retry.md): enrols failed
/// confirmations into the retry ledger, then calls the warehouse service for every due one, at most
/// `max_in_flight` at once, each attempt recorded in flight before its call and resolved after it.
public struct ReservationRetrier {
    let queries: QueryLibrary
    let settings: ReservationRetrySettings

    public init(queries: QueryLibrary, settings: ReservationRetrySettings) {
        self.queries = queries
        self.settings = settings
    }

    /// One run of the pass on `connection` (the primary) with the run's clock `now`. With `dryRun` it logs the
    /// calls it would make and changes nothing. Throws `WarehouseTokenRejected` after recording every answer when
    /// the service refuses the token.
    public func run(
        connection: Connection, baseURL: String, token: WarehouseToken, now: Date, runID: UUID, logger: Logger,
        dryRun: Bool
    ) async throws -> ReservationRetryCounts {
        var counts = ReservationRetryCounts()
        let window = settings.window
        let firstDelay = settings.delays[0]
        if dryRun {
            let calls = try connection.query(try queries.statement("reservation_retry/would_call.sql"), [now, window, firstDelay]) {
                row in
                [
                    "order_id": Logger.MetadataValue.string(try row.decode("order_id")),
                    "order_number": .string(try row.decodeIfPresent("order_number", as: String.self) ?? ""),
                    "reservation_id": .string(try row.decode("reservation_id")),
                    "attempt": .string(String(try row.decode("attempt", as: Int.self))),
                ] as Logger.Metadata
            }
            for call in calls {
                logger.info("would confirm reservation (dry run)", metadata: call.merging(["step": "reservation-retry"]) { a, _ in a })
            }
            counts.wouldCall = calls.count
            return counts
        }

        counts.interrupted = try connection.execute(try queries.statement("reservation_retry/close_interrupted.sql"), [now])
        if counts.interrupted > 0 {
            logger.warning(
                "calls of a killed run were closed as interrupted; they are made again with the same Idempotency-Key",
                metadata: ["step": "reservation-retry", "interrupted": "\(counts.interrupted)"])
        }
        counts.enrolled = try connection.execute(try queries.statement("reservation_retry/enrol.sql"), [now, window, firstDelay])
        counts.skippedMalformed = try connection.queryFirst(
            try queries.statement("reservation_retry/count_malformed.sql"), [now, window]
        ) { try $0.decode("malformed", as: Int.self) } ?? 0
        counts.withdrawn = try connection.execute(try queries.statement("reservation_retry/withdraw.sql"), [now])

        let client = WarehouseClient(settings: settings, baseURL: baseURL, token: token)
        let result: Result<Void, Error>
        do {
            try await callDueErrors(connection: connection, client: client, now: now, runID: runID, logger: logger, counts: &counts)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        await client.shutdown()
        try result.get()
        return counts
    }

    /// Claims due errors one at a time and keeps up to `maxInFlight` calls going; each answer is recorded by this
    /// task (the connection never leaves it) as soon as it arrives.
    private func callDueErrors(
        connection: Connection, client: WarehouseClient, now: Date, runID: UUID, logger: Logger,
        counts: inout ReservationRetryCounts
    ) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        func timestamp() -> Date { now.addingTimeInterval(start.duration(to: clock.now).timeInterval) }
        var breaker = CircuitBreaker(threshold: settings.circuitBreakerThreshold)
        var rejectedStatus: Int?
        let claim = try queries.statement("reservation_retry/claim.sql")

        try await withThrowingTaskGroup(of: AnsweredCall.self) { group in
            var inFlight = 0
            while true {
                while inFlight < settings.maxInFlight, !breaker.isOpen, rejectedStatus == nil {
                    let attemptedAt = timestamp()
                    guard let call = try claimNext(claim, connection: connection, at: attemptedAt, runID: runID) else { break }
                    group.addTask {
                        let started = ContinuousClock.now
                        let answer = await client.confirm(call)
                        return AnsweredCall(call: call, attemptedAt: attemptedAt, answer: answer, duration: started.duration(to: .now))
                    }
                    inFlight += 1
                }
                guard let answered = try await group.next() else { break }
                inFlight -= 1
                let outcome = try record(answered, connection: connection, at: timestamp(), logger: logger, counts: &counts)
                if outcome == .unauthorized, case .response(let status, _, _) = answered.answer { rejectedStatus = status }
                if breaker.record(outcome) {
                    logger.warning(
                        "the circuit breaker opened: \(breaker.threshold) calls in a row failed transiently; no more calls in this run, the due errors wait for the next one",
                        metadata: ["step": "reservation-retry", "threshold": "\(breaker.threshold)"])
                }
            }
        }
        if breaker.isOpen {
            counts.circuitOpen = 1
            counts.deferred = try connection.queryFirst(
                try queries.statement("reservation_retry/count_due.sql"), [timestamp()]
            ) { try $0.decode("due", as: Int.self) } ?? 0
        }
        if let rejectedStatus { throw WarehouseTokenRejected(status: rejectedStatus) }
    }

    /// Claims the next due error and records its attempt as in flight (committed before the call), or nil.
    private func claimNext(_ claim: SQLStatement, connection: Connection, at time: Date, runID: UUID) throws -> ReservationCall? {
        try connection.queryFirst(claim, [time, runID]) { row in
            ReservationCall(
                attemptID: try row.decode("attempt_id"), orderID: try row.decode("order_id"),
                reservationID: try row.decode("reservation_id"), attempt: try row.decode("attempt"),
                idempotencyKey: try row.decode("idempotency_key"), orderNumber: try row.decodeIfPresent("order_number"),
                sku: try row.decodeIfPresent("sku"), warehouseID: try row.decodeIfPresent("warehouse_id"))
        }
    }

    /// Records one answer: the attempt, the error's new state and, when confirmed, the error's removal from the
    /// order's metadata, in one transaction. Returns the answer's outcome.
    private func record(
        _ answered: AnsweredCall, connection: Connection, at time: Date, logger: Logger,
        counts: inout ReservationRetryCounts
    ) throws -> ConfirmationOutcome {
        let call = answered.call
        let outcome = ConfirmationOutcome(
            classifying: answered.answer, at: time, retryAfterLimit: settings.schedule.longestDelay)
        let decision = RetryDecision(
            outcome: outcome, attempt: call.attempt, attemptedAt: answered.attemptedAt, schedule: settings.schedule)
        var nextAttempt: Date?
        var reason: String?
        switch decision {
        case .retry(let at): nextAttempt = at
        case .exhausted(let why): reason = why.rawValue
        case .confirmed, .uncounted: break
        }
        let removed: Int
        do {
            removed = try connection.transaction { connection in
                let removed = decision == .confirmed
                    ? try connection.execute(
                        try queries.statement("reservation_retry/remove_error.sql"), [call.orderID, call.reservationID])
                    : 0
                try resolve(answered, at: time, outcome: outcome.name, counted: decision != .uncounted,
                            state: decision.state, nextAttempt: nextAttempt, reason: reason, connection: connection)
                return removed
            }
        } catch let error as PostgresError where decision == .confirmed && error.sqlState == .lockNotAvailable {
            try postponeLockedOrder(answered, at: time, connection: connection, logger: logger, counts: &counts)
            return outcome
        }
        counts.count(outcome)
        switch decision {
        case .retry: counts.rescheduled += 1
        case .exhausted: counts.exhausted += 1
        case .confirmed, .uncounted: break
        }
        var metadata: Logger.Metadata = [
            "step": "reservation-retry", "order_id": "\(call.orderID.uuidString.lowercased())",
            "reservation_id": "\(call.reservationID)", "attempt": "\(call.attempt)", "outcome": "\(outcome.name)",
            "answer": "\(answered.answer.summary)",
            "duration_s": "\(String(format: "%.3f", answered.duration.timeInterval))",
        ]
        if let nextAttempt { metadata["next_attempt_at"] = "\(ISO8601Timestamp.format(nextAttempt))" }
        if let reason { metadata["exhausted_reason"] = "\(reason)" }
        if decision == .confirmed, removed == 0 { metadata["metadata"] = "entry already gone" }
        logger.log(level: decision.state == "exhausted" ? .warning : .info, "reservation confirmation attempt", metadata: metadata)
        return outcome
    }
}

extension ReservationRetrier {
    /// Records the attempt's answer and the error's new state (`resolve.sql`); only an attempt in flight changes.
    fileprivate func resolve(
        _ answered: AnsweredCall, at time: Date, outcome: String, counted: Bool, state: String, nextAttempt: Date?,
        reason: String?, connection: Connection
    ) throws {
        let answer = answered.answer
        try connection.execute(
            try queries.statement("reservation_retry/resolve.sql"),
            [answered.call.attemptID, time, answer.httpStatus, answer.failure?.rawValue,
             Int(answered.duration.timeInterval * 1000), outcome, counted, state, nextAttempt, reason, answer.summary])
    }

    /// The service confirmed, but the order service holds the order's row longer than `lock_timeout`: the error is
    /// left out of this run, not the pass. Its attempt is closed as `interrupted` (it does not count) and the error
    /// stays pending, due at once; the claim takes no error twice in one run, so the next run calls again with the
    /// same Idempotency-Key, is answered `already_confirmed` and removes the entry then.
    fileprivate func postponeLockedOrder(
        _ answered: AnsweredCall, at time: Date, connection: Connection, logger: Logger,
        counts: inout ReservationRetryCounts
    ) throws {
        try connection.transaction { connection in
            try resolve(answered, at: time, outcome: "interrupted", counted: false, state: "pending", nextAttempt: time,
                        reason: nil, connection: connection)
        }
        counts.calls += 1
        counts.skippedLocked += 1
        logger.warning(
            "order row locked by another transaction: the confirmation is recorded on the next run (same Idempotency-Key)",
            metadata: [
                "step": "reservation-retry", "order_id": "\(answered.call.orderID.uuidString.lowercased())",
                "reservation_id": "\(answered.call.reservationID)", "attempt": "\(answered.call.attempt)",
                "answer": "\(answered.answer.summary)",
            ])
    }
}

/// A call and the service's answer to it.
private struct AnsweredCall: Sendable {
    let call: ReservationCall
    let attemptedAt: Date
    let answer: WarehouseAnswer
    let duration: Duration
}

/// The warehouse service refused the batch's token (401 or 403): a configuration error, not the orders' fault.
public struct WarehouseTokenRejected: Error, CustomStringConvertible {
    public let status: Int

    public var description: String {
        "the warehouse service refused the batch's bearer token (HTTP \(status)); check the token in warehouse_token_file or \(ReservationRetrySettings.tokenEnvironmentName) and that it may confirm reservations. No error was marked failed for this"
    }
}

extension ReservationRetrier {
    /// Reads the retry ledger's state for the metric file (read-only). `thisRunsCircuitOpen` is this run's breaker,
    /// added to the ledger's streak of earlier runs; nil for a run that failed or was skipped, whose gauges repeat
    /// the streak of the runs before it.
    public func snapshot(connection: Connection, thisRunsCircuitOpen: Bool?) throws -> ReservationRetrySnapshot {
        var snapshot = ReservationRetrySnapshot()
        try connection.stream(try queries.statement("reservation_retry/snapshot.sql")) { row in
            let label: String = try row.decode("label")
            let value: Int = try row.decode("value")
            switch try row.decode("series", as: String.self) {
            case "attempts": snapshot.attemptsByOutcome[label] = value
            case "pending": snapshot.pendingByAttempt[Int(label) ?? 0] = value
            default: snapshot.exhaustedByReason[label] = value
            }
        }
        let streak = try connection.queryFirst(try queries.statement("reservation_retry/circuit_open_streak.sql")) {
            try $0.decode("streak", as: Int.self)
        } ?? 0
        switch thisRunsCircuitOpen {
        case true?: (snapshot.circuitOpen, snapshot.circuitOpenRuns) = (true, streak + 1)
        case false?: (snapshot.circuitOpen, snapshot.circuitOpenRuns) = (false, 0)
        case nil: (snapshot.circuitOpen, snapshot.circuitOpenRuns) = (streak > 0, streak)
        }
        return snapshot
    }
}
