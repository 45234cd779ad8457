import Foundation

/// An investigation query of the runbook, shown and linked on the reconciliation page.
public struct InvestigationQuery: Sendable {
    /// The first comment line, such as "Investigation 2: everything about one order …".
    public var title: String
    /// The copy's path relative to the site root, such as `queries/investigation/02_order_detail.sql`.
    public var path: String
    public var sql: String

    public init(path: String, sql: String) {
        self.path = path
        self.sql = sql
        let firstComment = sql.split(separator: "\n").first { $0.hasPrefix("--") }
        title = firstComment.map { String($0.dropFirst(2)).trimmingCharacters(in: .whitespaces) } ?? path
    }
}

/// The view model of the reconciliation page (plan tasks 1.5.2 and 2.4): reservation failures and the orders
/// that need reconciling, built from the `reconciliation_*` report queries.
public struct ReconciliationPage: Sendable {
    public var stamp: PageStamp
    public var windowDays: Int
    public var stats: [Stat]
    public var trend: Figure
    public var reasons: Figure
    public var products: Figure
    public var errorOrders: DataTable
    public var malformed: DataTable
    /// What the reservation-confirmation retry pass has pending, confirmed and given up on.
    public var automaticRetries: AutomaticRetriesSection
    public var investigations: [InvestigationQuery]

    /// The reservation failure rate above which the plan's alert fires (task 1.5.3).
    public static let alertThreshold = 0.05
    /// How many rows of the long tables the page shows (the CSV holds all).
    public static let shownRows = 300

    public init(data: ReportData, now: Date, runID: UUID, windowDays: Int, investigations: [InvestigationQuery]) throws {
        stamp = PageStamp(now: now, runID: runID)
        self.windowDays = windowDays
        self.investigations = investigations
        automaticRetries = try AutomaticRetriesSection(data: data, now: now)

        let rate = try data.table("reconciliation_failure_rate").single()
        let attempted = try rate.int("attempted")
        let failed = try rate.int("failed")
        let totals = try data.table("reconciliation_totals").single()
        let malformedOrders = try totals.int("malformed_orders")
        let ratio = attempted > 0 ? Double(failed) / Double(attempted) : nil
        stats = [
            Stat(
                label: "Reservation failure rate, last 24 h",
                value: ratio.map { Formatting.percent($0, digits: 2) } ?? "no data",
                detail: "\(Formatting.integer(failed)) of \(Formatting.integer(attempted)) confirmations failed on \(Formatting.integer(try rate.int("orders"))) orders (\(Formatting.integer(try rate.int("orders_with_errors"))) with errors). Alert above \(Formatting.percent(Self.alertThreshold, digits: 0)).",
                tone: ratio.map { $0 > Self.alertThreshold ? .bad : .good } ?? .muted),
            Stat(
                label: "Orders with errors, last 7 days", value: Formatting.integer(try totals.int("affected_orders_7d")),
                detail: "Listed below, newest first."),
            Stat(
                label: "Total affected orders", value: Formatting.integer(try totals.int("affected_orders")),
                detail: "All time; \(Formatting.integer(try totals.int("affected_orders_in_window"))) in the last \(windowDays) days."),
            Stat(
                label: "Orders with malformed error records", value: Formatting.integer(malformedOrders),
                detail: malformedOrders > 0 ? "Their errors cannot be read automatically: reconcile them by hand." : "Every error record has the documented shape.",
                tone: malformedOrders > 0 ? .bad : .good),
        ]

        let days = try data.table("reconciliation_error_trend").records
        let dayLabels = try days.map { try $0.text("day") }
        let orderCounts = try days.map { try $0.int("orders") }
        let errorCounts = try days.map { try $0.int("errors") }
        trend = Figure(
            line: LineChart(
                id: "reconciliation-trend", title: "Reservation errors per day",
                description: "Orders that recorded confirmation errors, and the well-formed errors they hold, per day over the last \(windowDays) days.",
                xAxisLabel: "Day (UTC)", yAxisLabel: "Count", labels: dayLabels,
                series: [(name: "Orders with errors", values: orderCounts.map(Double.init)),
                         (name: "Errors", values: errorCounts.map(Double.init))],
                format: { Formatting.integer(Int($0.rounded())) }),
            table: DataTable(
                id: "reconciliation-trend", caption: "Reservation errors per day",
                columns: [TableColumn("Day"), TableColumn("Orders with errors", numeric: true),
                          TableColumn("Errors", numeric: true)],
                rows: dayLabels.indices.map {
                    [TableCell(dayLabels[$0]), TableCell(Formatting.integer(orderCounts[$0])),
                     TableCell(Formatting.integer(errorCounts[$0]))]
                }))

        let reasonRecords = try data.table("reconciliation_failure_reasons").records
        let allErrors = try reasonRecords.reduce(0) { $0 + (try $1.int("errors")) }
        reasons = Figure(
            bar: BarChart(
                id: "reconciliation-reasons", title: "Failure reasons",
                description: "Confirmation errors by reason over the last \(windowDays) days, most frequent first.",
                categoryAxisLabel: "Reason", valueAxisLabel: "Errors",
                values: try reasonRecords.map { (label: try $0.text("reason"), value: Double(try $0.int("errors"))) },
                format: { Formatting.integer(Int($0.rounded())) }),
            table: DataTable(
                id: "reconciliation-reasons", caption: "Failure reasons, last \(windowDays) days",
                columns: [TableColumn("Reason"), TableColumn("Errors", numeric: true), TableColumn("Orders", numeric: true),
                          TableColumn("Share of errors", numeric: true)],
                rows: try reasonRecords.map { record in
                    let errors = try record.int("errors")
                    return [TableCell(try record.text("reason")), TableCell(Formatting.integer(errors)),
                            TableCell(Formatting.integer(try record.int("orders"))),
                            TableCell(Formatting.percent(Double(errors) / Double(max(1, allErrors))))]
                }, emptyText: "No confirmation error in the window."))

        let productRecords = try data.table("reconciliation_failing_products").records
        products = Figure(
            bar: BarChart(
                id: "reconciliation-products", title: "Top failing products",
                description: "The products with the most confirmation errors over the last \(windowDays) days.",
                categoryAxisLabel: "Product", valueAxisLabel: "Errors",
                values: try productRecords.map { (label: try $0.text("product_id"), value: Double(try $0.int("errors"))) },
                format: { Formatting.integer(Int($0.rounded())) }),
            table: DataTable(
                id: "reconciliation-products", caption: "Top failing products, last \(windowDays) days",
                columns: [TableColumn("Product"), TableColumn("SKUs"), TableColumn("Warehouses"),
                          TableColumn("Errors", numeric: true), TableColumn("Orders", numeric: true)],
                rows: try productRecords.map { record in
                    [TableCell(try record.text("product_id")), TableCell(try record.textIfPresent("skus") ?? ""),
                     TableCell(try record.textIfPresent("warehouses") ?? ""),
                     TableCell(Formatting.integer(try record.int("errors"))),
                     TableCell(Formatting.integer(try record.int("orders")))]
                }, emptyText: "No confirmation error in the window."))

        let errorRecords = try data.table("reconciliation_error_orders").records
        errorOrders = DataTable(
            id: "reconciliation-error-orders",
            caption: "Orders with confirmation errors, last 7 days, newest first (one row per error)",
            columns: [TableColumn("Order"), TableColumn("Customer"), TableColumn("Total", numeric: true),
                      TableColumn("Placed"), TableColumn("Age"), TableColumn("Reason"), TableColumn("Product"),
                      TableColumn("SKU"), TableColumn("Warehouse"), TableColumn("Message")],
            rows: try errorRecords.map { record in
                let placed = try record.date("created_at")
                let productID = try record.text("product_id")
                let product = try record.textIfPresent("product_name").map { "\($0) (\(productID))" } ?? productID
                return [TableCell(try record.text("order_number")),
                        TableCell(try record.textIfPresent("customer_email").map(EmailMask.mask) ?? "unknown customer"),
                        TableCell(Formatting.amount(try record.decimal("total_amount"), currency: try record.text("currency"))),
                        TableCell(Formatting.timestamp(placed)), TableCell(Formatting.age(of: placed, now: now)),
                        TableCell(try record.text("reason")), TableCell(product),
                        TableCell(try record.textIfPresent("sku") ?? ""), TableCell(try record.text("warehouse_id")),
                        TableCell(try record.textIfPresent("message") ?? "")]
            },
            emptyText: "No order placed in the last 7 days recorded a confirmation error.",
            shownRows: Self.shownRows, groupedColumns: 5, groupKeys: try errorRecords.map { try $0.text("order_id") })

        let problemRecords = try data.table("reconciliation_malformed_orders").records
        malformed = DataTable(
            id: "reconciliation-malformed",
            caption: "Orders with malformed reservation error metadata, newest first (one row per problem)",
            columns: [TableColumn("Order"), TableColumn("Placed"), TableColumn("Problem"), TableColumn("Raw value")],
            rows: try problemRecords.map { record in
                [TableCell(try record.text("order_number")), TableCell(Formatting.timestamp(try record.date("created_at"))),
                 TableCell(try record.text("problem"), tone: .bad), TableCell(try record.text("raw_value"))]
            },
            emptyText: "Every reservation error record has the documented shape.", shownRows: Self.shownRows,
            groupedColumns: 2, groupKeys: try problemRecords.map { try $0.text("order_id") })
    }

    public var tables: [DataTable] {
        [trend.table, reasons.table, products.table, errorOrders, malformed] + automaticRetries.tables
    }
}
