import Foundation

/// The view model of the site's overview page: how fresh the data is, when each pass last ran and succeeded,
/// the plan's success metrics against their targets, and this run's steps.
public struct OverviewPage: Sendable {
    public var stamp: PageStamp
    public var runOutcome: String
    public var runFailed: Bool
    public var dryRun: Bool
    /// True when the reports step did not run in this run.
    public var reportsMissing: Bool
    public var freshness: DataTable
    public var passes: DataTable
    public var metrics: DataTable
    public var trend: Figure?
    public var steps: DataTable
    /// The self-checks' summary (nil when the reports step did not run) and every check's offending rows.
    public var selfChecks: DataTable?
    public var selfCheckDetails: [DataTable]

    /// Data older than `dataStaleAfter` and passes whose last success is older than their `staleness` threshold
    /// are flagged as stale. `reports` and `selfChecks` are nil when the reports step did not run in this run.
    /// `knownSteps` are the steps of this build, in run order.
    public init(
        now: Date, runID: UUID, dryRun: Bool, knownSteps: [StepName], steps: [StepReport], recentRuns: [String: [StepReport]],
        histories: [String: StepHistory], reports: Reports?, selfChecks: SelfCheckResults?, windowDays: Int,
        dataStaleAfter: TimeInterval = 6 * 3600, staleness: StalenessSettings = StalenessSettings()
    ) {
        self.selfChecks = selfChecks?.summary
        selfCheckDetails = selfChecks?.details ?? []
        stamp = PageStamp(now: now, runID: runID)
        runFailed = steps.contains { !$0.outcome.isSuccess }
        runOutcome = runFailed ? "failed" : "succeeded"
        self.dryRun = dryRun
        reportsMissing = reports == nil

        var freshnessRows: [[TableCell]] = []
        if let freshness = reports?.freshness {
            for (label, newest) in [("Newest cart activity", freshness.newestCartActivity), ("Newest order", freshness.newestOrder)] {
                freshnessRows.append(Self.freshnessRow(label, newest, now: now, staleAfter: dataStaleAfter))
            }
        }
        freshness = DataTable(
            id: "overview-freshness", caption: "Data freshness at the run's clock",
            columns: [TableColumn("What"), TableColumn("Newest"), TableColumn("Age"), TableColumn("State")],
            rows: freshnessRows, emptyText: "No data: the reports step did not run.")

        passes = DataTable(
            id: "overview-passes", caption: "Every pass: last run and last success",
            columns: [TableColumn("Pass"), TableColumn("Last run"), TableColumn("Outcome"), TableColumn("Last success"),
                      TableColumn("State")],
            rows: knownSteps.map { step in
                Self.passRow(step.rawValue, last: recentRuns[step.rawValue]?.first,
                             lastSuccess: histories[step.rawValue]?.lastSucceededAt, now: now,
                             staleAfter: staleness.staleAfter(step: step.rawValue))
            })

        let measured = reports?.successMetrics ?? [:]
        metrics = DataTable(
            id: "overview-success-metrics",
            caption: "The plan's success metrics over the last \(windowDays) days",
            columns: [TableColumn("Metric"), TableColumn("Definition"), TableColumn("Value", numeric: true),
                      TableColumn("Counted", numeric: true), TableColumn("Target"), TableColumn("Status")],
            rows: SuccessMetric.catalogue.map { metric in
                let definition = TableCell(metric.definition.replacingOccurrences(of: "{days}", with: String(windowDays)))
                guard let counts = measured[metric.key], let ratio = counts.value else {
                    return [TableCell(metric.name), definition, TableCell(Ratio.noData, tone: .muted), "0 of 0",
                            TableCell(metric.targetText), TableCell(Ratio.noData, tone: .muted)]
                }
                let met = metric.isMet(by: ratio)
                return [TableCell(metric.name), definition, TableCell(counts.percentText(digits: ratio < 0.01 ? 2 : 1)),
                        TableCell("\(Formatting.integer(counts.part)) of \(Formatting.integer(counts.whole))"),
                        TableCell(metric.targetText), TableCell(met ? "met" : "not met", tone: met ? .good : .bad)]
            })

        if let days = reports?.checkoutSuccessTrend {
            let target = SuccessMetric.checkoutSuccess
            trend = Figure(
                line: LineChart(
                    id: "overview-checkout-trend", title: "Checkout success rate per day",
                    description: "Share of carts whose checkout started that day that have an order, over the last \(windowDays) days, against the \(target.targetPercent) target. Days without a checkout show 0.",
                    xAxisLabel: "Day (UTC)", yAxisLabel: "Checkout success (%)", labels: days.map(\.day),
                    series: [(name: "Checkout success", values: days.map { ($0.successRate.value ?? 0) * 100 })],
                    reference: (label: "target " + target.targetPercent, value: target.target * 100),
                    wholeNumbers: true, format: { String(format: "%.0f %%", $0) }),
                table: DataTable(
                    id: "overview-checkout-trend", caption: "Checkout success per day",
                    columns: [TableColumn("Day"), TableColumn("Checkouts started", numeric: true),
                              TableColumn("With an order", numeric: true), TableColumn("Success", numeric: true)],
                    rows: days.map { day in
                        [TableCell(day.day), TableCell(Formatting.integer(day.started)),
                         TableCell(Formatting.integer(day.withOrder)), TableCell(day.successRate.percentText())]
                    }))
        }

        self.steps = DataTable(
            id: "overview-this-run", caption: "Steps of this run",
            columns: [TableColumn("Step"), TableColumn("Outcome"), TableColumn("Duration", numeric: true),
                      TableColumn("Counts"), TableColumn("Error")],
            rows: steps.map { report in
                [TableCell(report.step), TableCell(report.outcome.rawValue, tone: report.outcome.isSuccess ? nil : .bad),
                 TableCell(Formatting.duration(report.duration)), TableCell(Formatting.counts(report.counts)),
                 TableCell(report.error ?? "")]
            }, emptyText: "No step ran.")
    }

    static func freshnessRow(_ label: String, _ date: Date?, now: Date, staleAfter: TimeInterval) -> [TableCell] {
        guard let date else {
            return [TableCell(label), "no data", "—", TableCell("stale", tone: .stale)]
        }
        let stale = now.timeIntervalSince(date) > staleAfter
        return [TableCell(label), TableCell(Formatting.timestamp(date)), TableCell(Formatting.age(of: date, now: now)),
                stale ? TableCell("stale", tone: .stale) : TableCell("fresh", tone: .good)]
    }

    static func passRow(_ step: String, last: StepReport?, lastSuccess: Date?, now: Date, staleAfter: TimeInterval)
        -> [TableCell]
    {
        guard let last else {
            return [TableCell(step), "never", "—", "never", TableCell("never ran", tone: .stale)]
        }
        let finished = last.startedAt.addingTimeInterval(last.duration)
        let state: TableCell
        if let lastSuccess, now.timeIntervalSince(lastSuccess) <= staleAfter {
            state = TableCell("current", tone: .good)
        } else {
            state = TableCell("stale", tone: .stale)
        }
        return [TableCell(step), TableCell("\(Formatting.timestamp(finished)) (\(Formatting.age(of: finished, now: now)) ago)"),
                TableCell(last.outcome.rawValue, tone: last.outcome.isSuccess ? nil : .bad),
                TableCell(lastSuccess.map { "\(Formatting.timestamp($0)) (\(Formatting.age(of: $0, now: now)) ago)" } ?? "never"),
                state]
    }

    /// Every table of the page, for the CSV downloads.
    public var tables: [DataTable] {
        [freshness, passes, metrics] + (trend.map { [$0.table] } ?? []) + [steps] + (selfChecks.map { [$0] } ?? [])
            + selfCheckDetails
    }
}
