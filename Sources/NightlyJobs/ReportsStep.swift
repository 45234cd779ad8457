import Foundation
import NightlyCore
import Postgres

/// The reports step: runs every report query read-only against the report database (a replica is fine), then
/// builds the reconciliation and cart analytics pages with their CSV files, the runbook page and copies of the
/// investigation queries. The overview and jobs pages, which also need this run's ledger, are built at render.
public struct ReportsStep: NightlyStep {
    public let name = StepName.reports
    public let changesData = false

    public init() {}

    public func run(_ context: RunContext) throws -> StepResult {
        let settings = context.settings
        let data = try ReportQueries(queries: context.queries).load(
            context.reportConnection,
            parameters: .init(now: context.now, windowDays: settings.reportWindowDays, runID: context.runID))
        context.output.reports = data

        let investigations = try context.queries.files(in: "investigation").map { file in
            InvestigationQuery(path: "queries/" + file, sql: try context.queries.statement(file).text)
        }
        let reconciliation = try ReconciliationPage(
            data: data, now: context.now, runID: context.runID, windowDays: settings.reportWindowDays,
            investigations: investigations)
        let analytics = try CartAnalyticsPage(
            data: data, now: context.now, runID: context.runID, windowDays: settings.reportWindowDays)
        let runbook = URL(fileURLWithPath: settings.docsDirectory).appendingPathComponent("runbook.md")
        guard let markdown = try? String(contentsOf: runbook, encoding: .utf8) else {
            throw NightlyError.missingFile(
                "the runbook \(runbook.path) cannot be read; set the docs folder with CHECKOUT_NIGHTLY_DOCS or `docs =` in the config file")
        }

        let pages = SitePages(templates: context.templates, dataTakenAt: context.now)
        try pages.add("reconciliation", reconciliation, tables: reconciliation.tables, into: &context.output.siteFiles)
        try pages.add("analytics", analytics, tables: analytics.tables, into: &context.output.siteFiles)
        try pages.add(
            "runbook", RunbookPage(now: context.now, runID: context.runID, markdown: markdown), tables: [],
            into: &context.output.siteFiles)
        for query in investigations { context.output.siteFiles[query.path] = query.sql }
        let selfChecks = try SelfCheckReader.read(
            context.reportConnection, queries: context.queries, settings: settings, now: context.now)
        context.output.selfChecks = selfChecks
        context.output.metrics[name.rawValue] = try ReportMetrics.families(data) + selfChecks.metricFamilies

        let freshness = try data.table("freshness").single()
        let totals = try data.table("reconciliation_totals").single()
        return StepResult(counts: [
            "carts": try freshness.int("carts"),
            "orders": try freshness.int("orders"),
            "report_queries": data.tables.count,
            "orders_with_reservation_errors_7d": try totals.int("affected_orders_7d"),
            "orders_with_malformed_reservation_errors": try totals.int("malformed_orders"),
        ])
    }
}
