import Foundation
import NightlyCore
import Postgres

/// The reports step: runs every report query and self-check read-only against the report database (a replica is
/// fine), on two connections that share one snapshot, then builds the reconciliation and cart analytics pages
/// with their CSV files, the runbook page and copies of the investigation queries. The overview and jobs pages,
/// which also need this run's ledger, are built at render.
public struct ReportsStep: NightlyStep {
    public let name = StepName.reports
    public let kind = StepKind.report
    /// The report queries read every table of the contract (docs/tables.md).
    public let contract = [
        "customers": ["id", "email", "first_name", "locale", "marketing_opt_in", "unsubscribed_at",
                      "email_bounced_at", "push_enabled", "created_at"],
        "cart_sessions": ["id", "session_id", "customer_id", "status", "is_active", "order_id", "currency",
                          "metadata", "version", "created_at", "updated_at", "checkout_started_at", "expires_at"],
        "cart_items": ["id", "cart_session_id", "product_id", "sku", "product_name", "image_url", "quantity",
                       "unit_price", "in_stock", "stock_error", "version", "created_at", "updated_at"],
        "orders": ["id", "order_number", "customer_id", "cart_session_id", "status", "total_amount", "currency",
                   "discount_code", "metadata", "created_at"],
    ]
    public let pages = [
        StepPage("reconciliation", title: "Reconciliation"), StepPage("analytics", title: "Cart analytics"),
        StepPage("runbook", title: "Runbook"),
    ]

    public init() {}

    /// Checks before any pass runs that the runbook (the runbook page's text) can be read, so a wrong `docs`
    /// folder exits 64 naming it instead of failing the reports after every pass ran.
    public func checkConfiguration(_ settings: Settings) throws {
        guard settings.steps?.contains(name) ?? true else { return }
        let runbook = Self.runbook(settings)
        guard FileManager.default.isReadableFile(atPath: runbook.path) else {
            throw settings.configurationError(
                "docs",
                "docs is \"\(settings.docsDirectory)\", which holds no runbook.md the batch can read (\(runbook.path)); set docs to the installed docs folder (checkout-nightly --version names it) or to a folder holding runbook.md")
        }
    }

    /// The runbook the runbook page shows.
    static func runbook(_ settings: Settings) -> URL {
        URL(fileURLWithPath: settings.docsDirectory).appendingPathComponent("runbook.md")
    }

    public func run(_ context: StepContext) async throws -> StepResult<ReportsCounts> {
        let settings = context.settings
        let (data, selfChecks) = try await read(context)
        let reports = try Reports(decoding: data)
        context.findings.reports = reports
        for skipped in reports.skippedRows {
            context.logger.warning(
                "report row skipped: it holds NULL where its page needs a value; the other rows are shown",
                metadata: ["step": "reports", "error": "\(skipped)"])
        }

        let investigations = try context.queries.files(in: "investigation").map { file in
            InvestigationQuery(path: "queries/" + file, sql: try context.queries.statement(file).text)
        }
        let reconciliation = ReconciliationPage(
            reports: reports, now: context.now, runID: context.runID, windowDays: settings.reportWindowDays,
            investigations: investigations)
        let analytics = CartAnalyticsPage(
            reports: reports, now: context.now, runID: context.runID, windowDays: settings.reportWindowDays)
        let runbook = Self.runbook(settings)
        guard let markdown = try? String(contentsOf: runbook, encoding: .utf8) else {
            throw NightlyError.missingFile(
                "the runbook \(runbook.path) cannot be read; set the docs folder with CHECKOUT_NIGHTLY_DOCS or `docs =` in the config file")
        }

        try context.site.page("reconciliation", reconciliation, tables: reconciliation.tables)
        try context.site.page("analytics", analytics, tables: analytics.tables)
        try context.site.page(
            "runbook", RunbookPage(now: context.now, runID: context.runID, markdown: markdown), tables: [])
        for query in investigations { try context.site.file(query.path, query.sql) }
        context.findings.selfChecks = selfChecks
        context.metrics.add(ReportMetrics.families(reports) + selfChecks.metricFamilies, for: name)

        var counts = ReportsCounts()
        counts.carts = reports.freshness.carts
        counts.orders = reports.freshness.orders
        counts.reportQueries = data.tables.count
        counts.ordersWithReservationErrors7d = reports.reconciliationTotals.affectedOrders7d
        counts.ordersWithMalformedReservationErrors = reports.reconciliationTotals.malformedOrders
        counts.rowsSkipped = reports.skippedRows.count
        return StepResult(counts: counts)
    }

    /// How many connections read the reports at once: one per core of a small database server.
    static let connections = 2

    /// Every report file and self-check, read on `connections` sessions of the report database that share one
    /// snapshot (so every page and check sees the same data, as one transaction would).
    private func read(_ context: StepContext) async throws -> (ReportData, SelfCheckResults) {
        let settings = context.settings
        let checks = try SelfCheckReader.statements(queries: context.queries, settings: settings, now: context.now)
        var connections = [context.reportConnection]
        for _ in 1..<Self.connections { connections.append(try context.extraConnection(report: true)) }
        let (data, checkTables) = try await ReportQueries(queries: context.queries).load(
            connections, parameters: .init(now: context.now, windowDays: settings.reportWindowDays, runID: context.runID),
            with: SelfCheckReader.reads(checks))
        return (data, SelfCheckReader.results(checks, checkTables))
    }
}

/// What the reports step counts in a run.
public struct ReportsCounts: StepCounts {
    public var carts = 0
    public var orders = 0
    /// How many report queries ran.
    public var reportQueries = 0
    public var ordersWithReservationErrors7d = 0
    public var ordersWithMalformedReservationErrors = 0
    /// Report rows left out because the order service's data holds NULL where a page needs a value.
    public var rowsSkipped = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case carts, orders, reportQueries, ordersWithMalformedReservationErrors, rowsSkipped
        case ordersWithReservationErrors7d = "ordersWithReservationErrors_7d"
    }
}

extension StepName {
    public static let reports: StepName = "reports"
}
