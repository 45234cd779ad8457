import Foundation

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

    public init(reports: Reports, now: Date, runID: UUID, windowDays: Int, investigations: [InvestigationQuery]) {
        stamp = PageStamp(now: now, runID: runID)
        self.windowDays = windowDays
        self.investigations = investigations
        automaticRetries = AutomaticRetriesSection(reports: reports, now: now)

        let confirmations = reports.confirmations
        let totals = reports.reconciliationTotals
        let ratio = confirmations.failureRatio.value
        stats = [
            Stat(
                label: "Reservation failure rate, last 24 h",
                value: confirmations.failureRatio.percentText(digits: 2),
                detail: "\(Formatting.integer(confirmations.failed)) of \(Formatting.integer(confirmations.attempted)) confirmations failed on \(Formatting.integer(confirmations.orders)) orders (\(Formatting.integer(confirmations.ordersWithErrors)) with errors). Alert above \(Formatting.percent(Self.alertThreshold, digits: 0)).",
                tone: ratio.map { $0 > Self.alertThreshold ? .bad : .good } ?? .muted),
            Stat(
                label: "Orders with errors, last 7 days", value: Formatting.integer(totals.affectedOrders7d),
                detail: "Listed below, newest first."),
            Stat(
                label: "Total affected orders", value: Formatting.integer(totals.affectedOrders),
                detail: "All time; \(Formatting.integer(totals.affectedOrdersInWindow)) in the last \(windowDays) days."),
            Stat(
                label: "Orders with malformed error records", value: Formatting.integer(totals.malformedOrders),
                detail: totals.malformedOrders > 0 ? "Their errors cannot be read automatically: reconcile them by hand." : "Every error record has the documented shape.",
                tone: totals.malformedOrders > 0 ? .bad : .good),
        ]

        let days = reports.errorTrend
        trend = Figure(
            line: LineChart(
                id: "reconciliation-trend", title: "Reservation errors per day",
                description: "Orders that recorded confirmation errors, and the well-formed errors they hold, per day over the last \(windowDays) days.",
                xAxisLabel: "Day (UTC)", yAxisLabel: "Count", labels: days.map(\.day),
                series: [(name: "Orders with errors", values: days.map { Double($0.orders) }),
                         (name: "Errors", values: days.map { Double($0.errors) })],
                format: { Formatting.integer(Int($0.rounded())) }),
            table: DataTable(
                id: "reconciliation-trend", caption: "Reservation errors per day",
                columns: [TableColumn("Day"), TableColumn("Orders with errors", numeric: true),
                          TableColumn("Errors", numeric: true)],
                rows: days.map {
                    [TableCell($0.day), TableCell(Formatting.integer($0.orders)), TableCell(Formatting.integer($0.errors))]
                }))

        let reasonRows = reports.failureReasons
        let allErrors = reasonRows.reduce(0) { $0 + $1.errors }
        reasons = Figure(
            bar: BarChart(
                id: "reconciliation-reasons", title: "Failure reasons",
                description: "Confirmation errors by reason over the last \(windowDays) days, most frequent first.",
                categoryAxisLabel: "Reason", valueAxisLabel: "Errors",
                values: reasonRows.map { (label: $0.reason, value: Double($0.errors)) },
                format: { Formatting.integer(Int($0.rounded())) }),
            table: DataTable(
                id: "reconciliation-reasons", caption: "Failure reasons, last \(windowDays) days",
                columns: [TableColumn("Reason"), TableColumn("Errors", numeric: true), TableColumn("Orders", numeric: true),
                          TableColumn("Share of errors", numeric: true)],
                rows: reasonRows.map { row in
                    [TableCell(row.reason), TableCell(Formatting.integer(row.errors)),
                     TableCell(Formatting.integer(row.orders)), TableCell(Ratio(row.errors, of: allErrors).percentText())]
                }, emptyText: "No confirmation error in the window."))

        let productRows = reports.failingProducts
        products = Figure(
            bar: BarChart(
                id: "reconciliation-products", title: "Top failing products",
                description: "The products with the most confirmation errors over the last \(windowDays) days.",
                categoryAxisLabel: "Product", valueAxisLabel: "Errors",
                values: productRows.map { (label: $0.productID, value: Double($0.errors)) },
                format: { Formatting.integer(Int($0.rounded())) }),
            table: DataTable(
                id: "reconciliation-products", caption: "Top failing products, last \(windowDays) days",
                columns: [TableColumn("Product"), TableColumn("SKUs"), TableColumn("Warehouses"),
                          TableColumn("Errors", numeric: true), TableColumn("Orders", numeric: true)],
                rows: productRows.map { row in
                    [TableCell(row.productID), TableCell(row.skus ?? ""), TableCell(row.warehouses ?? ""),
                     TableCell(Formatting.integer(row.errors)), TableCell(Formatting.integer(row.orders))]
                }, emptyText: "No confirmation error in the window."))

        let errorRows = reports.errorOrders
        errorOrders = DataTable(
            id: "reconciliation-error-orders",
            caption: "Orders with confirmation errors, last 7 days, newest first (one row per error)",
            columns: [TableColumn("Order"), TableColumn("Customer"), TableColumn("Total", numeric: true),
                      TableColumn("Placed"), TableColumn("Age"), TableColumn("Reason"), TableColumn("Product"),
                      TableColumn("SKU"), TableColumn("Warehouse"), TableColumn("Message")],
            rows: errorRows.map { row in
                let product = row.productName.map { "\($0) (\(row.productID))" } ?? row.productID
                return [TableCell(row.orderNumber ?? "id \(row.orderID)"),
                        TableCell(row.customerEmail.map(EmailMask.mask) ?? "unknown customer"),
                        TableCell(Self.total(row.totalAmount, currency: row.currency)),
                        TableCell(Formatting.timestamp(row.createdAt)), TableCell(Formatting.age(of: row.createdAt, now: now)),
                        TableCell(row.reason), TableCell(product), TableCell(row.sku ?? ""), TableCell(row.warehouseID),
                        TableCell(row.message ?? "")]
            },
            emptyText: "No order placed in the last 7 days recorded a confirmation error.",
            shownRows: Self.shownRows, groupedColumns: 5, groupKeys: errorRows.map(\.orderID))

        let problemRows = reports.malformedOrders
        malformed = DataTable(
            id: "reconciliation-malformed",
            caption: "Orders with malformed reservation error metadata, newest first (one row per problem)",
            columns: [TableColumn("Order"), TableColumn("Placed"), TableColumn("Problem"), TableColumn("Raw value")],
            rows: problemRows.map { row in
                [TableCell(row.orderNumber ?? "id \(row.orderID)"), TableCell(Formatting.timestamp(row.createdAt)),
                 TableCell(row.problem, tone: .bad), TableCell(row.rawValue)]
            },
            emptyText: "Every reservation error record has the documented shape.", shownRows: Self.shownRows,
            groupedColumns: 2, groupKeys: problemRows.map(\.orderID))
    }

    /// An order's total in its currency; what is known of it where the order service left either NULL.
    private static func total(_ amount: Decimal?, currency: String?) -> String {
        switch (amount, currency) {
        case let (amount?, currency?): Formatting.amount(amount, currency: currency)
        case let (amount?, nil): Formatting.amount(amount, currency: "").trimmingCharacters(in: .whitespaces) + " (no currency)"
        case (nil, _): "unknown"
        }
    }

    public var tables: [DataTable] {
        [trend.table, reasons.table, products.table, errorOrders, malformed] + automaticRetries.tables
    }
}
