import Foundation
import NightlyCore
import Rendering

/// What the phases of one run hand to each other.
final class RunState {
    let queries: QueryLibrary
    let runID = UUID()
    /// The run's clock; the database's (or `--now`) once connected.
    var now: Date
    /// When the run started, on the process's monotonic clock: timestamps within the run are `now` plus it.
    let started = ContinuousClock.now
    var templates: TemplateSet?
    var context: StepContext?
    /// The run ledger; nil in a dry run or before the connection.
    var ledger: Ledger?
    var publisher: ReleasePublisher?
    /// The release being staged, until it is published or discarded.
    var release: ReleasePublisher.StagedRelease?
    let metrics: MetricsWriter
    let findings = RunFindings()
    /// Every step's report (and publish's), in order.
    var reports: [StepReport] = []
    /// The first failure and the phase it happened in.
    var failure: (RunPhase, Error)?
    /// True when a step that failed had written into the staged release: what it left there may be half of its
    /// output, so the release is not published.
    var failedStepWroteOutput = false
    /// True when a selected step builds pages: then the run renders and publishes.
    var rendersOutput = false
    /// When rendering began (monotonic, and on the run's clock): the publish report's start.
    var renderStarted: (ContinuousClock.Instant, Date)?

    init(settings: Settings) {
        queries = QueryLibrary(directory: settings.queriesDirectory)
        now = settings.now ?? Date()
        metrics = MetricsWriter(settings: settings)
    }

    /// The run's clock plus the time since the run started.
    func timestamp() -> Date { now.addingTimeInterval(started.duration(to: .now).timeInterval) }

    /// The run publishes unless a set-up phase failed or a failed step left part of its output in the release:
    /// a step that failed without writing leaves its pages as last published, and what the other steps built
    /// (the review copies of messages already recorded among them) is published.
    var publishes: Bool {
        guard let (phase, _) = failure else { return true }
        if case .step = phase { return !failedStepWroteOutput }
        return false
    }

    /// Removes the staged release, if any (a run that does not publish).
    func discardRelease() {
        if let release { publisher?.discard(release) }
        release = nil
    }
}

/// What one step learns that a later phase shows: the report queries' results, for the overview.
public final class RunFindings {
    /// The report queries' decoded results; nil when the reports step did not run.
    public var reports: Reports?
    /// The self-checks' findings; nil when the reports step did not run.
    public var selfChecks: SelfCheckResults?
}
