import Foundation
import Logging
import NightlyCore
import Postgres
import Rendering

/// The nightly run: connect and check, run the selected steps under their locks, render, publish.
/// Each step logs `[i/n] name`, is recorded in the run ledger, and any error it throws carries its name.
public struct NightlyRun {
    public let settings: Settings
    public let steps: [any NightlyStep]
    public let logger: Logger

    /// Every step this build can run, in run order.
    public static let allSteps: [any NightlyStep] = [
        StuckCartsStep(), ExpiredSessionsStep(), RecoveryPass(), ReservationRetryStep(), ReportsStep(),
    ]

    public init(settings: Settings, steps: [any NightlyStep] = NightlyRun.allSteps, logger: Logger) {
        self.settings = settings
        self.steps = steps.filter { settings.steps.contains($0.name) }
        self.logger = logger
    }

    /// Runs everything and returns the step reports; throws `NightlyError` when the run failed (after writing
    /// the metric files that show the failure).
    @discardableResult
    public func execute() async throws -> [StepReport] {
        let clock = ContinuousClock()
        let runStart = clock.now
        let now = settings.now ?? Date()
        let runID = UUID()
        let queries = QueryLibrary(directory: settings.queriesDirectory)
        let stageNames = ["connect"] + steps.map(\.name.rawValue) + ["render", "publish"]  // render/publish: when there is output
        var stageIndex = 0
        func announce(_ stage: String) {
            stageIndex += 1
            logger.info("[\(stageIndex)/\(stageNames.count)] \(stage)", metadata: ["step": "\(stage)"])
        }
        func timestamp() -> Date { now.addingTimeInterval(runStart.duration(to: clock.now).timeInterval) }

        // Templates are loaded before anything touches the database, so a broken one changes nothing.
        let templates: TemplateSet
        do {
            templates = try await TemplateSet(directory: settings.templatesDirectory)
        } catch {
            throw NightlyError.stepFailed(step: "configure", underlying: error)
        }

        announce("connect")
        let connection: Connection
        let reportConnection: Connection
        do {
            connection = try Connection(url: settings.databaseURL, connectTimeout: settings.connectTimeout)
            reportConnection = try settings.reportDatabaseURL.map {
                try Connection(url: $0, connectTimeout: settings.connectTimeout)
            } ?? connection
            try Migrator(queries: queries).requireCurrent(connection)
            try ContractCheck(queries: queries).verify(connection)
        } catch {
            // Nothing ran: every selected step is reported failed, so the failure shows in the metrics.
            if !settings.dryRun {
                try writeMetrics(reports: failedReports(at: now, error: error), histories: nil)
            }
            if let error = error as? PostgresError, error.kind == .connection {
                throw NightlyError.databaseUnreachable(error)
            }
            throw error
        }

        let ledger = Ledger(queries: queries, connection: connection)
        if !settings.dryRun {
            for abandoned in try ledger.closeAbandonedRuns(at: now) {
                logger.warning(
                    "an earlier run ended without finishing (killed or crashed); marked failed in the ledger",
                    metadata: [
                        "run_id": "\(abandoned.runID.uuidString.lowercased())", "host": "\(abandoned.host)",
                        "started_at": "\(ISO8601Timestamp.format(abandoned.startedAt))",
                    ])
            }
            try ledger.startRun(
                id: runID, at: now, steps: steps.map(\.name.rawValue), dryRun: false,
                host: ProcessInfo.processInfo.hostName)
        }
        let context = RunContext(
            settings: settings, queries: queries, connection: connection, reportConnection: reportConnection,
            templates: templates, now: now, runID: runID, logger: logger, progress: TerminalProgress())

        var reports: [StepReport] = []
        for step in steps {
            announce(step.name.rawValue)
            let started = clock.now
            let startedAt = timestamp()
            var report: StepReport
            do {
                let timeout = step.statementTimeout(settings) ?? settings.statementTimeout
                try connection.setTimeouts(statement: timeout, lock: settings.lockTimeout)
                if reportConnection !== connection {
                    try reportConnection.setTimeouts(statement: timeout, lock: settings.lockTimeout)
                }
                let result = try await runLocked(step, context)
                report = StepReport(
                    step: step.name.rawValue, outcome: result.outcome, startedAt: startedAt,
                    duration: started.duration(to: clock.now).timeInterval, counts: result.counts)
            } catch {
                if connection.isInTransaction { _ = try? connection.execute("ROLLBACK") }
                report = StepReport(
                    step: step.name.rawValue, outcome: .failed, startedAt: startedAt,
                    duration: started.duration(to: clock.now).timeInterval, error: "\(error)")
            }
            try finish(report, runID: runID, ledger: ledger)
            reports.append(report)
        }

        // Only the reports rebuild the dashboards and only recovery renders e-mails; a run of other steps
        // publishes a release that carries the previous pages and e-mails over and adds what it produced.
        let rebuildsSite = steps.contains { $0.name == .reports }
        let rendersEmails = steps.contains { $0.name == .recovery }
        let hasOutput = rebuildsSite || rendersEmails || !context.output.siteFiles.isEmpty
        if reports.contains(where: { $0.outcome == .failed }) {
            logger.error("the run failed; the previously published site and e-mails stay in place")
        } else if !hasOutput {
            logger.info("this run neither rebuilds the site nor renders e-mails; the published output stays as it is")
        } else {
            announce("render")
            let started = clock.now
            let startedAt = timestamp()
            let publisher = ReleasePublisher(outputDirectory: settings.outputDirectory, keep: settings.keepReleases)
            var counts: [String: Int] = [:]
            var failure: Error?
            do {
                // Pages a step did not rebuild this time stay as last published; e-mails are the last recovery run's.
                let carryOver = Set(["site"] + (rendersEmails ? [] : ["emails"]))
                let release = try publisher.stage(releaseName: releaseName(now: now, runID: runID), carryOver: carryOver)
                do {
                    counts = try render(
                        into: release, context: context, reports: reports, ledger: ledger,
                        rebuildsSite: rebuildsSite, rendersEmails: rendersEmails)
                    announce("publish")
                    try publisher.publish(release)
                } catch {
                    publisher.discard(release)
                    throw error
                }
            } catch {
                failure = error
            }
            let report = StepReport(
                step: "publish", outcome: failure == nil ? .succeeded : .failed, startedAt: startedAt,
                duration: started.duration(to: clock.now).timeInterval, counts: counts, error: failure.map { "\($0)" })
            try finish(report, runID: runID, ledger: ledger)
            reports.append(report)
        }

        let failures = reports.filter { $0.outcome == .failed }
        if !settings.dryRun {
            try ledger.finishRun(
                id: runID, at: timestamp(), succeeded: failures.isEmpty,
                error: failures.first.map { "\($0.step): \($0.error ?? "failed")" })
            try writeMetrics(reports: reports, histories: try ledger.histories(), extra: context.output.metrics)
        }
        if let failure = failures.first {
            throw NightlyError.stepFailed(step: failure.step, underlying: PlainMessage(failure.error ?? "failed"))
        }
        return reports
    }

    /// Logs how a step ended (one structured line) and records it in the ledger, unless this is a dry run.
    private func finish(_ report: StepReport, runID: UUID, ledger: Ledger) throws {
        var metadata: Logger.Metadata = [
            "step": "\(report.step)", "outcome": "\(report.outcome.rawValue)",
            "duration_s": "\(String(format: "%.3f", report.duration))", "counts": "\(Formatting.counts(report.counts))",
        ]
        if let error = report.error { metadata["error"] = "\(error)" }
        logger.log(level: report.outcome == .failed ? .error : .info, "step finished", metadata: metadata)
        if !settings.dryRun { try ledger.record(report, runID: runID) }
    }

    /// Runs a step; a step that changes data first takes its advisory lock, and skips when another copy holds it.
    private func runLocked(_ step: any NightlyStep, _ context: RunContext) async throws -> StepResult {
        guard step.changesData else { return try await step.run(context) }
        let name = step.name.rawValue
        let locked = try context.connection.queryFirst(
            try context.queries.statement("run/try_pass_lock.sql"), [name]
        ) { try $0.decode("locked", as: Bool.self) }
        guard locked == true else {
            logger.warning(
                "another copy of checkout-nightly is running the \(name) pass; skipping it this time",
                metadata: ["step": "\(name)"])
            return StepResult(outcome: .skipped, counts: ["lock_busy": 1])
        }
        defer {
            _ = try? context.connection.execute(try context.queries.statement("run/release_pass_lock.sql"), [name])
        }
        return try await step.run(context)
    }

    private func render(
        into release: URL, context: RunContext, reports: [StepReport], ledger: Ledger, rebuildsSite: Bool,
        rendersEmails: Bool
    ) throws -> [String: Int] {
        let site = release.appendingPathComponent("site")
        func isPublished(_ path: String) -> Bool { FileManager.default.fileExists(atPath: site.appendingPathComponent(path).path) }
        var siteFiles = context.output.siteFiles
        let pages = SitePages(templates: context.templates)
        let recentRuns = try ledger.recentRunsByStep(perStep: JobsPage.runsPerStep)
        if rebuildsSite || !isPublished("index.html") {
            let overview = try OverviewPage(
                now: context.now, runID: context.runID, dryRun: settings.dryRun, steps: reports, recentRuns: recentRuns,
                histories: try ledger.histories(), reports: context.output.reports, windowDays: settings.reportWindowDays)
            try pages.add("index", overview, tables: overview.tables, into: &siteFiles)
            siteFiles["style.css"] = try context.templates.render("site/style.css", [String: String]())
        }
        let jobs = JobsPage(now: context.now, runID: context.runID, recentRuns: recentRuns)
        try pages.add("jobs", jobs, tables: jobs.tables, into: &siteFiles)
        try pages.addPlaceholders(now: context.now, runID: context.runID, into: &siteFiles, isPublished: isPublished)
        for (path, text) in siteFiles {
            try AtomicFile.write(text, to: release.appendingPathComponent("site").appendingPathComponent(path))
        }
        var emailFiles = context.output.emailFiles
        if rendersEmails && emailFiles.isEmpty {
            emailFiles["README.txt"] = "No message was rendered in run \(context.runID.uuidString.lowercased()).\n"
        }
        for (path, text) in emailFiles {
            try AtomicFile.write(text, to: release.appendingPathComponent("emails").appendingPathComponent(path))
        }
        return ["site_files": siteFiles.count, "email_files": emailFiles.count]
    }

    /// Writes one metric file per step, each atomically, into the textfile folder.
    private func writeMetrics(
        reports: [StepReport], histories: [String: StepHistory]?, extra: [String: [MetricFamily]] = [:]
    ) throws {
        let folder = URL(fileURLWithPath: settings.metricsDirectory, isDirectory: true)
        for report in reports {
            let file = folder.appendingPathComponent("checkout_nightly_\(report.step.replacingOccurrences(of: "-", with: "_")).prom")
            let previous = (try? String(contentsOf: file, encoding: .utf8)).flatMap {
                StepMetrics.lastSuccess(inPreviousFile: $0, step: report.step)
            }
            let history = histories?[report.step]
            let stepFamilies = steps.first { $0.name.rawValue == report.step }?.metrics(for: report, history: history) ?? []
            let families = StepMetrics.families(report: report, history: history, previousLastSuccess: previous)
                + stepFamilies + (extra[report.step] ?? [])
            try AtomicFile.write(MetricExposition.render(families), to: file)
        }
    }

    private func failedReports(at now: Date, error: Error) -> [StepReport] {
        steps.map { StepReport(step: $0.name.rawValue, outcome: .failed, startedAt: now, duration: 0, error: "\(error)") }
    }

    private func releaseName(now: Date, runID: UUID) -> String {
        let stamp = ISO8601Timestamp.format(now).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        return "\(stamp)-\(runID.uuidString.prefix(8).lowercased())"
    }
}

/// An error that is only a sentence.
struct PlainMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
