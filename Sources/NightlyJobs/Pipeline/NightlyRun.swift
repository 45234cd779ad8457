import Foundation
import Logging
import NightlyCore
import Postgres
import Rendering

/// The nightly run: a pipeline of named phases (configure, connect and check, each selected step, render,
/// publish), declared as data in `phases`. The runner announces each phase (`[i/n] name`), stamps it onto any
/// error, records every step in the run ledger, and writes the metric files however the run ends.
public struct NightlyRun {
    public let settings: Settings
    /// The selected steps, in run order.
    public let steps: [any NightlyStep]
    public let logger: Logger

    /// `steps` are the steps this build can run (the step list); `settings.steps` selects among them.
    public init(settings: Settings, steps: [any NightlyStep] = StepList.all, logger: Logger) {
        self.settings = settings
        self.steps = steps.filter { step in settings.steps?.contains(step.name) ?? true }
        self.logger = logger
    }

    /// One phase of the pipeline: its name, what it does, and whether a failure in it ends the run.
    struct Phase {
        let phase: RunPhase
        /// A failure of a step is recorded and the run goes on to the metric files; one of the run's own set-up
        /// phases ends it.
        let stopsRunOnFailure: Bool
        let body: (RunState) async throws -> Void
    }

    /// The pipeline, in order.
    var phases: [Phase] {
        [
            Phase(phase: .configure, stopsRunOnFailure: true, body: configure),
            Phase(phase: .connect, stopsRunOnFailure: true, body: connect),
        ]
            + steps.map { step in
                Phase(phase: .step(step.name), stopsRunOnFailure: false) { try await run(step, $0) }
            }
            + [
                Phase(phase: .render, stopsRunOnFailure: false, body: render),
                Phase(phase: .publish, stopsRunOnFailure: false, body: publish),
            ]
    }

    /// Runs the pipeline and returns the step reports; throws `NightlyError` when the run failed (after writing
    /// the metric files that show the failure).
    @discardableResult
    public func execute() async throws -> [StepReport] {
        let state = RunState(settings: settings)
        let phases = phases
        for (index, phase) in phases.enumerated() {
            if case .step = phase.phase {} else if phase.phase == .render || phase.phase == .publish, !state.rendersOutput {
                continue
            }
            logger.info("[\(index + 1)/\(phases.count)] \(phase.phase)", metadata: ["step": "\(phase.phase)"])
            do {
                try await phase.body(state)
            } catch {
                if phase.stopsRunOnFailure {
                    try finishAfterSetupFailure(state, phase: phase.phase, error: error)
                }
                state.failure = state.failure ?? (phase.phase, error)
                if phase.phase == .render || phase.phase == .publish {
                    state.discardRelease()
                    let (started, startedAt) = state.renderStarted ?? (.now, state.timestamp())
                    let report = StepReport(
                        phase: .publish, outcome: .failed, startedAt: startedAt,
                        duration: started.duration(to: .now).timeInterval, error: "\(error)")
                    try finish(report, state)
                    state.reports.append(report)
                }
            }
        }
        return try finishRun(state)
    }

    // MARK: Phases

    /// Loads the templates before anything touches the database, so a broken one changes nothing (exit 64, naming
    /// `templates`).
    private func configure(_ state: RunState) async throws {
        state.templates = try SettingsCheck.templates(settings)
    }

    /// Connects, checks the schema and the order service's tables, stages the release the steps write into
    /// (waiting for the output folder while another run publishes), takes the database's clock and opens the
    /// run in the ledger.
    private func connect(_ state: RunState) async throws {
        let queries = state.queries
        let connection = try Connection(url: settings.databaseURL, connectTimeout: settings.connectTimeout)
        let reportConnection = try settings.reportDatabaseURL.map {
            try Connection(url: $0, connectTimeout: settings.connectTimeout)
        } ?? connection
        try Migrator(queries: queries).requireCurrent(connection)
        try ContractCheck(queries: queries).verify(connection, steps: steps)
        for index in try OrderServiceIndexes(queries: queries).missing(connection) {
            logger.warning(
                "an index the batch relies on is missing from the order service's tables; its passes run slower until the tables' owner creates it (deploy/postgres/indexes.sql)",
                metadata: ["index": "\(index.name)", "statement": "\(index.statement)"])
        }
        // Only the reports rebuild the dashboards and only recovery renders e-mails: a run of other steps only
        // refreshes the metric files, publishes nothing and so never waits for the output folder.
        state.rendersOutput = steps.contains { !$0.pages.isEmpty }
        let publisher = ReleasePublisher(outputDirectory: settings.outputDirectory, keep: settings.keepReleases)
        let releaseName = Self.releaseName(runID: state.runID)
        let release = try state.rendersOutput
            ? publisher.stage(releaseName: releaseName) {
                logger.info(
                    "another run (or forget) is writing the output folder; this run starts when it has published",
                    metadata: ["output": "\(settings.outputDirectory)"])
            }
            : publisher.scratch(releaseName: releaseName)
        state.publisher = publisher
        state.release = release
        let databaseNow = try connection.queryFirst(try queries.statement("run/database_clock.sql")) {
            try $0.decode("now", as: Date.self)
        } ?? Date()
        let clock = try RunClock(databaseNow: databaseNow, fixed: settings.now)
        state.now = clock.now
        logger.info(
            "clocks compared", metadata: ["host_minus_database_s": "\(String(format: "%.3f", clock.hostOffset))"])

        let ledger = Ledger(queries: queries, connection: connection)
        if !settings.dryRun {
            for abandoned in try ledger.closeAbandonedRuns(at: state.now) {
                logger.warning(
                    "an earlier run ended without finishing (killed, crashed or cut off from the database); marked failed in the ledger",
                    metadata: [
                        "run_id": "\(abandoned.runID.uuidString.lowercased())", "host": "\(abandoned.host)",
                        "started_at": "\(ISO8601Timestamp.format(abandoned.startedAt))",
                    ])
            }
            try ledger.startRun(
                id: state.runID, at: state.now, steps: steps.map(\.name.rawValue), dryRun: false,
                host: ProcessInfo.processInfo.hostName)
            state.ledger = ledger
        }
        state.context = StepContext(
            settings: settings, queries: queries, connection: connection, reportConnection: reportConnection,
            templates: state.templates!, now: state.now, runID: state.runID, logger: logger, progress: TerminalProgress(),
            site: SiteWriter(folder: ReleaseFolder(release.site), templates: state.templates!, dataTakenAt: state.now),
            emails: ReleaseFolder(release.emails), metrics: state.metrics, findings: state.findings)
    }

    /// Runs one step: under its advisory lock when it changes rows (skipped when another copy holds it), with
    /// the run's timeouts; a failure is recorded and the run goes on.
    private func run(_ step: any NightlyStep, _ state: RunState) async throws {
        guard let context = state.context else { return }
        let started = ContinuousClock.now
        let startedAt = state.timestamp()
        let filesBefore = (context.site.folder.filesWritten, context.emails.filesWritten)
        if let ledger = state.ledger { recordingLedger { try ledger.startStep(step.name, runID: state.runID, at: startedAt) } }
        var report: StepReport
        do {
            for connection in Set([ObjectIdentifier(context.connection), ObjectIdentifier(context.reportConnection)]) {
                let target = connection == ObjectIdentifier(context.connection) ? context.connection : context.reportConnection
                try target.setTimeouts(statement: settings.statementTimeout, lock: settings.lockTimeout)
            }
            let (outcome, counts) = try await runLocked(step, context)
            report = StepReport(
                phase: .step(step.name), outcome: outcome, startedAt: startedAt,
                duration: started.duration(to: .now).timeInterval, counts: counts)
        } catch {
            if context.connection.isInTransaction { _ = try? context.connection.execute("ROLLBACK") }
            state.failure = state.failure ?? (.step(step.name), error)
            if (context.site.folder.filesWritten, context.emails.filesWritten) != filesBefore {
                state.failedStepWroteOutput = true
            }
            report = StepReport(
                phase: .step(step.name), outcome: .failed, startedAt: startedAt,
                duration: started.duration(to: .now).timeInterval, error: "\(error)")
        }
        try finish(report, state)
        state.reports.append(report)
    }

    /// Renders the pages that need the whole run (overview, jobs) and a page for every step page no release
    /// holds yet; the e-mails of a run whose recovery rendered none stay the published ones. After a step that
    /// failed without writing anything, the overview and jobs pages show the failure, its own pages stay as last
    /// published, and the other steps' output (review copies of the messages recorded) is published.
    private func render(_ state: RunState) async throws {
        guard let context = state.context, let release = state.release, state.publishes else {
            state.rendersOutput = false
            logger.error("the run failed; the previously published site and e-mails stay in place")
            state.discardRelease()
            return
        }
        if let (phase, _) = state.failure {
            logger.warning(
                "\(phase) failed without writing any page; the run publishes what the other steps built and its pages stay as last published",
                metadata: ["step": "\(phase)"])
        }
        state.renderStarted = (ContinuousClock.now, state.timestamp())
        if context.emails.isEmpty { try state.publisher?.carryOver("emails", into: release) }
        let recentRuns = try state.ledger?.recentRunsByStep(perStep: JobsPage.runsPerStep) ?? [:]
        let knownSteps = StepList.names
        // The overview shows the reports' figures: rebuilt when they were read (not when the step failed).
        if state.findings.reports != nil || !context.site.folder.contains("index.html") {
            let overview = OverviewPage(
                now: state.now, runID: state.runID, dryRun: settings.dryRun, knownSteps: knownSteps,
                steps: state.reports, recentRuns: recentRuns, histories: try state.ledger?.histories() ?? [:],
                reports: state.findings.reports, selfChecks: state.findings.selfChecks,
                windowDays: settings.reportWindowDays, staleness: settings.staleness)
            try context.site.page("index", overview, tables: overview.tables)
            try context.site.file("style.css", try context.templates.render("site/style.css", [String: String]()))
        }
        let jobs = JobsPage(now: state.now, runID: state.runID, knownSteps: knownSteps, recentRuns: recentRuns)
        try context.site.page("jobs", jobs, tables: jobs.tables)
        try context.site.placeholders(for: StepList.all, now: state.now, runID: state.runID)
    }

    /// Publishes the staged release with one rename.
    private func publish(_ state: RunState) async throws {
        guard let release = state.release, let publisher = state.publisher, let context = state.context,
            let (started, startedAt) = state.renderStarted
        else { return }
        try publisher.publish(release)
        state.release = nil
        let report = StepReport(
            phase: .publish, outcome: .succeeded, startedAt: startedAt, duration: started.duration(to: .now).timeInterval,
            counts: ["site_files": context.site.folder.filesWritten, "email_files": context.emails.filesWritten])
        try finish(report, state)
        state.reports.append(report)
    }

    // MARK: Ending the run

    /// Closes the run in the ledger, writes the metric files and reports the first failure, if any.
    private func finishRun(_ state: RunState) throws -> [StepReport] {
        state.discardRelease()  // the scratch release of a run that builds no page
        let failures = state.reports.filter { $0.outcome == .failed }
        if let ledger = state.ledger {
            recordingLedger {
                try ledger.finishRun(
                    id: state.runID, at: state.timestamp(), succeeded: failures.isEmpty,
                    error: failures.first.map { "\($0.step): \($0.error ?? "failed")" })
            }
        }
        if !settings.dryRun {
            let histories = state.ledger.flatMap { ledger in recordingLedger { try ledger.histories() } }
            try state.metrics.write(reports: state.reports, steps: steps, histories: histories)
        }
        if let (phase, error) = state.failure {
            if let lost = error as? PostgresError, lost.isConnectionLost { throw NightlyError.databaseUnreachable(lost) }
            throw NightlyError.phaseFailed(phase, underlying: error)
        }
        return state.reports
    }

    /// A set-up phase failed: every selected step is reported failed in the metric files, then the error ends
    /// the run.
    private func finishAfterSetupFailure(_ state: RunState, phase: RunPhase, error: Error) throws -> Never {
        state.discardRelease()
        if !settings.dryRun {
            let reports = steps.map {
                StepReport(phase: .step($0.name), outcome: .failed, startedAt: state.now, duration: 0, error: "\(error)")
            }
            try state.metrics.write(reports: reports, steps: steps, histories: nil)
        }
        switch error {
        case let error as PostgresError where error.kind == .connection: throw NightlyError.databaseUnreachable(error)
        case let error as ConfigurationError: throw NightlyError.configuration(error)
        case let error as NightlyError: throw error
        default: throw NightlyError.phaseFailed(phase, underlying: error)
        }
    }

    /// Logs how a step ended (one structured line) and records it in the ledger.
    private func finish(_ report: StepReport, _ state: RunState) throws {
        var metadata: Logger.Metadata = [
            "step": "\(report.step)", "outcome": "\(report.outcome.rawValue)",
            "duration_s": "\(String(format: "%.3f", report.duration))", "counts": "\(Formatting.counts(report.counts))",
        ]
        if let error = report.error { metadata["error"] = "\(error)" }
        logger.log(level: report.outcome == .failed ? .error : .info, "step finished", metadata: metadata)
        if let ledger = state.ledger {
            recordingLedger { try ledger.record(report, runID: state.runID) }
        }
    }

    /// Runs a ledger write; when the database is gone it is logged and the run goes on to its metric files (the
    /// next run closes this one in the ledger).
    private func recordingLedger<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            logger.error("the run ledger cannot be written; the next run closes this run", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Runs a step; a pass first takes its advisory lock, and skips when another copy holds it.
    private func runLocked(_ step: any NightlyStep, _ context: StepContext) async throws
        -> (StepOutcome, [String: Int])
    {
        guard step.kind == .pass else { return try await counted(step, context) }
        let name = step.name.rawValue
        let locked = try context.connection.queryFirst(
            try context.queries.statement("run/try_pass_lock.sql"), [name]
        ) { try $0.decode("locked", as: Bool.self) }
        guard locked == true else {
            logger.warning(
                "another copy of checkout-nightly is running the \(name) pass; skipping it this time",
                metadata: ["step": "\(name)"])
            step.skippedForLock(context)
            return (.skipped, ["lock_busy": 1])
        }
        defer {
            _ = try? context.connection.execute(try context.queries.statement("run/release_pass_lock.sql"), [name])
        }
        return try await counted(step, context)
    }

    /// Runs `step` and erases its typed counts into the ledger's names.
    private func counted<Step: NightlyStep>(_ step: Step, _ context: StepContext) async throws
        -> (StepOutcome, [String: Int])
    {
        let result = try await step.run(context)
        return (result.outcome, result.counts.named)
    }

    /// A release's name: the wall-clock time it was staged (so a later run's sorts after), then the run.
    static func releaseName(runID: UUID) -> String {
        let stamp = Date().formatted(ReleasePublisher.nameTime)
        return "\(stamp)-\(runID.uuidString.prefix(8).lowercased())"
    }
}
