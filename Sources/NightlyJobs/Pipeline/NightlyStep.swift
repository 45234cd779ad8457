import Foundation
import Logging
import NightlyCore
import Postgres
import Rendering

/// One selectable step of the nightly run: a pass that changes rows, or the reports. A step is registered by one
/// line in `StepList.all`; everything else that lists steps (`--only`, the settings, the ledger, the metric
/// files, the jobs and overview pages, the contract check) derives from that list.
public protocol NightlyStep: Sendable {
    /// What the step counts: one struct of `Int` properties.
    associatedtype Counts: StepCounts

    var name: StepName { get }
    var kind: StepKind { get }
    /// The order service's tables and columns the step reads or writes (docs/tables.md), checked before any step
    /// of the run starts.
    var contract: [String: [String]] { get }
    /// The site pages the step builds (a release without one gets a page naming the step).
    var pages: [StepPage] { get }
    /// The settings groups the step declares in its own files; the resolver reads those of every listed step.
    var settingsGroups: [any SettingsGroup.Type] { get }
    /// Checks what the step needs beyond its settings' own validation (a secret it will read, say) before
    /// anything touches the database; throws a `ConfigurationError` (exit 64).
    func checkConfiguration(_ settings: Settings) throws
    /// Does the step's work, writing what it produces to the run's output writers.
    func run(_ context: StepContext) async throws -> StepResult<Counts>
    /// Step-specific metric families derived from this run's report and the ledger's history (this run
    /// included), beside the families every step exports. Values measured during the run go to
    /// `context.metrics` instead.
    func metrics(for report: StepReport, history: StepHistory?) -> [MetricFamily]
    /// Called instead of `run` when another copy holds the pass's lock. A step whose metric file shows state
    /// kept in the database adds those families here, read-only, so they do not vanish from a skipped run's file.
    func skippedForLock(_ context: StepContext)
}

extension NightlyStep {
    public var contract: [String: [String]] { [:] }
    public var pages: [StepPage] { [] }
    public var settingsGroups: [any SettingsGroup.Type] { [] }
    public func checkConfiguration(_ settings: Settings) throws {}
    public func metrics(for report: StepReport, history: StepHistory?) -> [MetricFamily] { [] }
    public func skippedForLock(_ context: StepContext) {}
}

/// How the runner treats a step.
public enum StepKind: Sendable {
    /// Changes rows: runs under its own advisory lock, so two copies never run it at once; a copy that finds the
    /// lock taken skips the step.
    case pass
    /// Only reads (a replica is fine).
    case report
}

/// How a step ended and what it counted.
public struct StepResult<Counts: StepCounts>: Sendable {
    public var outcome: StepOutcome
    public var counts: Counts

    public init(outcome: StepOutcome = .succeeded, counts: Counts) {
        self.outcome = outcome
        self.counts = counts
    }
}

/// Everything a step may use during one run.
public struct StepContext {
    public let settings: Settings
    public let queries: QueryLibrary
    /// The primary database, for passes.
    public let connection: Connection
    /// The database report queries read (a replica when `report_database_url` is set).
    public let reportConnection: Connection
    public let templates: TemplateSet
    /// The run's clock: `--now`, or the time the run started.
    public let now: Date
    public let runID: UUID
    public let logger: Logger
    public let progress: TerminalProgress
    /// Pages and CSV files, written into the staged release as they are produced.
    public let site: SiteWriter
    /// Review copies of messages, written into the staged release's `emails/` as they are produced.
    public let emails: ReleaseFolder
    /// Metric families measured during the run, added to each step's metric file.
    public let metrics: MetricsWriter
    /// What this step learns that a later phase shows (the report data for the overview).
    public let findings: RunFindings
}

extension StepContext {
    /// Another session of the primary database, or of the report database when `report` is true, with the run's
    /// connect, statement and lock timeouts: for a step that spreads its work over connections.
    public func extraConnection(report: Bool = false) throws -> Connection {
        let url = report ? settings.reportDatabaseURL ?? settings.databaseURL : settings.databaseURL
        let connection = try Connection(url: url, connectTimeout: settings.connectTimeout)
        try connection.setTimeouts(statement: settings.statementTimeout, lock: settings.lockTimeout)
        return connection
    }

    /// A context of its own for running one step outside a run, as a second copy of a pass would (tests, tools):
    /// its own connection, no run ledger, pages and e-mails written under `outputFolder`.
    public init(
        settings: Settings, connection: Connection, templates: TemplateSet, now: Date, logger: Logger, outputFolder: URL
    ) {
        let site = ReleaseFolder(outputFolder.appendingPathComponent("site", isDirectory: true))
        self.init(
            settings: settings, queries: QueryLibrary(directory: settings.queriesDirectory), connection: connection,
            reportConnection: connection, templates: templates, now: now, runID: UUID(), logger: logger,
            progress: TerminalProgress(enabled: false), site: SiteWriter(folder: site, templates: templates, dataTakenAt: now),
            emails: ReleaseFolder(outputFolder.appendingPathComponent("emails", isDirectory: true)),
            metrics: MetricsWriter(settings: settings), findings: RunFindings())
    }
}
