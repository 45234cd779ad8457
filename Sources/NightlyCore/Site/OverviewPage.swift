import Foundation

/// What every page shows in its footer.
public struct PageStamp: Sendable {
    public var generatedAt: String
    public var runID: String

    public init(now: Date, runID: UUID) {
        generatedAt = Formatting.timestamp(now)
        self.runID = runID.uuidString.lowercased()
    }
}

/// A headline figure: a label, its value, a sentence of detail.
public struct Stat: Sendable {
    public var label: String
    public var value: String
    public var detail: String
    public var tone: String

    public init(label: String, value: String, detail: String = "", tone: Tone? = nil) {
        self.label = label
        self.value = value
        self.detail = detail
        self.tone = tone?.rawValue ?? ""
    }
}

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
        histories: [String: StepHistory], reports: ReportData?, selfChecks: SelfCheckResults?, windowDays: Int,
        dataStaleAfter: TimeInterval = 6 * 3600, staleness: StalenessSettings = StalenessSettings()
    ) throws {
        self.selfChecks = selfChecks?.summary
        selfCheckDetails = selfChecks?.details ?? []
        stamp = PageStamp(now: now, runID: runID)
        runFailed = steps.contains { !$0.outcome.isSuccess }
        runOutcome = runFailed ? "failed" : "succeeded"
        self.dryRun = dryRun
        reportsMissing = reports == nil

        var freshnessRows: [[TableCell]] = []
        if let reports {
            let newest = try reports.table("freshness").single()
            for (label, column) in [("Newest cart activity", "newest_cart_activity"), ("Newest order", "newest_order")] {
                freshnessRows.append(Self.freshnessRow(label, try newest.dateIfPresent(column), now: now, staleAfter: dataStaleAfter))
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

        var measured: [String: (numerator: Int, denominator: Int)] = [:]
        if let reports {
            for record in try reports.table("overview_success_metrics").records {
                measured[try record.text("metric")] = (try record.int("numerator"), try record.int("denominator"))
            }
            let recovery = try reports.table("overview_recovery_rate").single()
            measured["recovery_rate"] = (try recovery.int("numerator"), try recovery.int("denominator"))
        }
        metrics = DataTable(
            id: "overview-success-metrics",
            caption: "The plan's success metrics over the last \(windowDays) days",
            columns: [TableColumn("Metric"), TableColumn("Definition"), TableColumn("Value", numeric: true),
                      TableColumn("Counted", numeric: true), TableColumn("Target"), TableColumn("Status")],
            rows: SuccessMetric.catalogue.map { metric in
                let definition = TableCell(metric.definition.replacingOccurrences(of: "{days}", with: String(windowDays)))
                guard let counts = measured[metric.key], counts.denominator > 0 else {
                    return [TableCell(metric.name), definition, TableCell("no data", tone: .muted), "0 of 0",
                            TableCell(metric.targetText), TableCell("no data", tone: .muted)]
                }
                let ratio = Double(counts.numerator) / Double(counts.denominator)
                let met = metric.isMet(by: ratio)
                return [TableCell(metric.name), definition,
                        TableCell(Formatting.percent(ratio, digits: ratio < 0.01 ? 2 : 1)),
                        TableCell("\(Formatting.integer(counts.numerator)) of \(Formatting.integer(counts.denominator))"),
                        TableCell(metric.targetText), TableCell(met ? "met" : "not met", tone: met ? .good : .bad)]
            })

        if let reports {
            let days = try reports.table("overview_checkout_success_trend").records
            let labels = try days.map { try $0.text("day") }
            let rates = try days.map { day -> Double in
                let started = try day.int("started")
                return started > 0 ? Double(try day.int("with_order")) / Double(started) * 100 : 0
            }
            let target = SuccessMetric.checkoutSuccess
            trend = Figure(
                line: LineChart(
                    id: "overview-checkout-trend", title: "Checkout success rate per day",
                    description: "Share of carts whose checkout started that day that have an order, over the last \(windowDays) days, against the \(target.targetPercent) target. Days without a checkout show 0.",
                    xAxisLabel: "Day (UTC)", yAxisLabel: "Checkout success (%)", labels: labels,
                    series: [(name: "Checkout success", values: rates)],
                    reference: (label: "target " + target.targetPercent, value: target.target * 100),
                    wholeNumbers: true, format: { String(format: "%.0f %%", $0) }),
                table: DataTable(
                    id: "overview-checkout-trend", caption: "Checkout success per day",
                    columns: [TableColumn("Day"), TableColumn("Checkouts started", numeric: true),
                              TableColumn("With an order", numeric: true), TableColumn("Success", numeric: true)],
                    rows: try days.map { day in
                        let started = try day.int("started")
                        let ordered = try day.int("with_order")
                        return [TableCell(try day.text("day")), TableCell(Formatting.integer(started)),
                                TableCell(Formatting.integer(ordered)),
                                TableCell(started > 0 ? Formatting.percent(Double(ordered) / Double(started)) : "no data")]
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
