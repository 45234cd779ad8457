import Foundation
import Logging
import NightlyCore
import Postgres
import Rendering

/// Everything a step may use during one run.
public final class RunContext {
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
    /// Pages, e-mails and metric families steps contribute to the render step.
    public var output = RunOutput()

    init(
        settings: Settings, queries: QueryLibrary, connection: Connection, reportConnection: Connection,
        templates: TemplateSet, now: Date, runID: UUID, logger: Logger, progress: TerminalProgress
    ) {
        self.settings = settings
        self.queries = queries
        self.connection = connection
        self.reportConnection = reportConnection
        self.templates = templates
        self.now = now
        self.runID = runID
        self.logger = logger
        self.progress = progress
    }
}

/// What the steps of a run hand to the render and publish steps.
public struct RunOutput {
    /// Files of the site, by path relative to `site/`.
    public var siteFiles: [String: String] = [:]
    /// Files of the e-mail folder, by path relative to `emails/`.
    public var emailFiles: [String: String] = [:]
    /// Extra metric families per step, added to the step's own metric file.
    public var metrics: [String: [MetricFamily]] = [:]
    /// The report queries' results, for the overview (nil when the reports step did not run).
    public var reports: ReportData?
}

/// What a step reports back to the runner.
public struct StepResult {
    public var outcome: StepOutcome
    public var counts: [String: Int]

    public init(outcome: StepOutcome = .succeeded, counts: [String: Int] = [:]) {
        self.outcome = outcome
        self.counts = counts
    }
}

/// One selectable step of the nightly run (a pass or the reports).
public protocol NightlyStep: Sendable {
    var name: StepName { get }
    /// True for passes that change rows: they run under their own advisory lock and never in parallel copies.
    var changesData: Bool { get }
    /// Does the step's work. Counts name every item the step knows, zero included, so metrics never miss one.
    func run(_ context: RunContext) async throws -> StepResult
    /// Step-specific metric families derived from this run's report and the ledger's history (this run
    /// included), beside the families every step exports. Snapshot values measured during the run go into
    /// `context.output.metrics` instead.
    func metrics(for report: StepReport, history: StepHistory?) -> [MetricFamily]
    /// How long one statement of this step may run; nil uses the `statement_timeout` setting.
    func statementTimeout(_ settings: Settings) -> Duration?
}

extension NightlyStep {
    public func metrics(for report: StepReport, history: StepHistory?) -> [MetricFamily] { [] }
    public func statementTimeout(_ settings: Settings) -> Duration? { nil }
}
