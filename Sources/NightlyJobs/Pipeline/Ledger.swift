import Foundation
import NightlyCore
import Postgres

/// The run ledger in `checkout_nightly.runs` and `checkout_nightly.step_runs`.
struct Ledger {
    let queries: QueryLibrary
    let connection: Connection

    func startRun(id: UUID, at start: Date, steps: [String], dryRun: Bool, host: String) throws {
        try connection.execute(try queries.statement("ledger/start_run.sql"), [id, start, steps, dryRun, host])
    }

    /// Closes runs whose process died before finishing; returns (run id, start, host) of each.
    func closeAbandonedRuns(at now: Date) throws -> [(runID: UUID, startedAt: Date, host: String)] {
        try connection.query(try queries.statement("ledger/close_abandoned_runs.sql"), [now]) { row in
            (try row.decode("run_id"), try row.decode("started_at"), try row.decode("host"))
        }
    }

    func finishRun(id: UUID, at end: Date, succeeded: Bool, error: String?) throws {
        try connection.execute(
            try queries.statement("ledger/finish_run.sql"), [id, end, succeeded ? "succeeded" : "failed", error])
    }

    /// Marks `step` running, so that it shows in the ledger (and is closed as failed) if the process dies in it.
    func startStep(_ step: StepName, runID: UUID, at start: Date) throws {
        try connection.execute(try queries.statement("ledger/start_step.sql"), [runID, step.rawValue, start])
    }

    func record(_ report: StepReport, runID: UUID) throws {
        let counts = JSONText(encoding: .object(report.counts.mapValues { .number(Double($0)) }))
        try connection.execute(
            try queries.statement("ledger/record_step.sql"),
            [runID, report.step, report.startedAt, report.startedAt.addingTimeInterval(report.duration),
             report.outcome.rawValue, counts, report.error])
    }

    /// Every step's history, keyed by step name.
    func histories() throws -> [String: StepHistory] {
        var histories: [String: StepHistory] = [:]
        _ = try connection.query(try queries.statement("ledger/step_summary.sql")) { row in
            let step = try row.decode("step", as: String.self)
            guard let outcome = StepOutcome(rawValue: try row.decode("outcome", as: String.self)) else { return }
            let finished = try row.decodeIfPresent("last_finished_at", as: Date.self)
            var history = histories[step] ?? StepHistory(step: step)
            history.runs[outcome] = try row.decode("runs", as: Int.self)
            if outcome.advancesLastSuccess {
                history.lastSucceededAt = [history.lastSucceededAt, finished].compactMap { $0 }.max()
            }
            histories[step] = history
        }
        _ = try connection.query(try queries.statement("ledger/count_totals.sql")) { row in
            let step = try row.decode("step", as: String.self)
            histories[step, default: StepHistory(step: step)].totals[try row.decode("name", as: String.self)] =
                try row.decode("total", as: Int.self)
        }
        return histories
    }

    /// Each step's newest `perStep` finished runs, newest first, keyed by step name.
    func recentRunsByStep(perStep: Int) throws -> [String: [StepReport]] {
        let runs = try connection.query(try queries.statement("ledger/recent_runs_by_step.sql"), [perStep]) { row in
            let started = try row.decode("started_at", as: Date.self)
            let finished = try row.decode("finished_at", as: Date.self)
            var counts: [String: Int] = [:]
            if case .object(let members) = try row.decode("counts", as: JSONValue.self) {
                for (key, value) in members { if case .number(let n) = value { counts[key] = Int(n) } }
            }
            return StepReport(
                phase: RunPhase(name: try row.decode("step", as: String.self)),
                outcome: StepOutcome(rawValue: try row.decode("outcome", as: String.self)) ?? .failed,
                startedAt: started, duration: finished.timeIntervalSince(started), counts: counts,
                error: try row.decodeIfPresent("error", as: String.self))
        }
        return Dictionary(grouping: runs, by: \.step)
    }
}
