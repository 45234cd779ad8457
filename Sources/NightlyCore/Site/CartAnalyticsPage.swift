import Foundation

/// The view model of the cart analytics page (plan task 3.2), built from the `analytics_*` report queries.
public struct CartAnalyticsPage: Sendable {
    public var stamp: PageStamp
    public var windowDays: Int
    public var stats: [Stat]
    public var funnel: Figure
    public var cartValue: DataTable
    public var abandonedProducts: Figure
    public var recoveryStages: DataTable
    public var recoveryRevenue: DataTable
    /// The holdout's comparison: lift per stage with its interval, return per currency.
    public var holdout: RecoveryLiftSection

    public init(reports: Reports, now: Date, runID: UUID, windowDays: Int) {
        stamp = PageStamp(now: now, runID: runID)
        self.windowDays = windowDays

        let time = reports.checkoutTime
        let counted = "Over \(Formatting.integer(time.orders)) orders placed in the last \(windowDays) days, from checkout start to order."
        stats = [
            Stat(label: "Checkout completion time, median", value: time.medianSeconds.map(Formatting.duration) ?? Ratio.noData,
                 detail: counted),
            Stat(label: "Checkout completion time, 90th percentile", value: time.p90Seconds.map(Formatting.duration) ?? Ratio.noData,
                 detail: "Nine in ten checkouts finished within this time."),
        ]

        let counts = reports.funnel
        let steps: [(label: String, count: Int)] = [
            ("Carts", counts.carts), ("With items", counts.withItems), ("Checkout started", counts.checkoutStarted),
            ("Order placed", counts.orderPlaced),
        ]
        funnel = Figure(
            bar: BarChart(
                id: "analytics-funnel", title: "Cart funnel",
                description: "Carts created in the last \(windowDays) days at each step: all carts, carts with items, checkout started, order placed.",
                categoryAxisLabel: "Step", valueAxisLabel: "Carts",
                values: steps.map { (label: $0.label, value: Double($0.count)) },
                format: { Formatting.integer(Int($0.rounded())) }),
            table: DataTable(
                id: "analytics-funnel", caption: "Cart funnel, carts created in the last \(windowDays) days",
                columns: [TableColumn("Step"), TableColumn("Carts", numeric: true),
                          TableColumn("Drop from previous step", numeric: true), TableColumn("Drop", numeric: true),
                          TableColumn("Share of all carts", numeric: true)],
                rows: steps.indices.map { index in
                    let count = steps[index].count
                    let previous = index > 0 ? steps[index - 1].count : nil
                    return [TableCell(steps[index].label), TableCell(Formatting.integer(count)),
                            TableCell(previous.map { Formatting.integer($0 - count) } ?? "—"),
                            TableCell(previous.map { Ratio($0 - count, of: $0).percentText() } ?? "—"),
                            TableCell(Ratio(count, of: steps[0].count).percentText())]
                }))

        cartValue = DataTable(
            id: "analytics-cart-value", caption: "Average cart value per currency, carts created in the last \(windowDays) days",
            columns: [TableColumn("Currency"), TableColumn("Carts with items", numeric: true),
                      TableColumn("Average value", numeric: true), TableColumn("Total value", numeric: true)],
            rows: reports.cartValues.map { row in
                [TableCell(row.currency), TableCell(Formatting.integer(row.carts)),
                 TableCell(Formatting.amount(row.averageValue, currency: row.currency)),
                 TableCell(Formatting.amount(row.totalValue, currency: row.currency))]
            }, emptyText: "No cart with items was created in the window.")

        let products = reports.abandonedProducts
        abandonedProducts = Figure(
            bar: BarChart(
                id: "analytics-abandoned-products", title: "Most abandoned products",
                description: "Products left most often in carts abandoned in the last \(windowDays) days, by number of carts.",
                categoryAxisLabel: "Product", valueAxisLabel: "Abandoned carts",
                values: products.map { (label: $0.productName ?? $0.productID, value: Double($0.carts)) },
                format: { Formatting.integer(Int($0.rounded())) }),
            table: DataTable(
                id: "analytics-abandoned-products", caption: "Most abandoned products, last \(windowDays) days",
                columns: [TableColumn("Product"), TableColumn("Product ID"), TableColumn("Carts", numeric: true),
                          TableColumn("Units", numeric: true)],
                rows: products.map { row in
                    [TableCell(row.productName ?? "no name"), TableCell(row.productID), TableCell(Formatting.integer(row.carts)),
                     TableCell(Formatting.integer(row.units))]
                }, emptyText: "No abandoned cart in the window."))

        recoveryStages = DataTable(
            id: "analytics-recovery-stages", caption: "Recovery by stage, messages sent in the last \(windowDays) days",
            columns: [TableColumn("Stage"), TableColumn("Sent", numeric: true), TableColumn("Clicked", numeric: true),
                      TableColumn("Click rate", numeric: true), TableColumn("Converted", numeric: true),
                      TableColumn("Conversion rate", numeric: true)],
            rows: reports.recoveryStages.map { row in
                [TableCell(row.stage), TableCell(Formatting.integer(row.sent)), TableCell(Formatting.integer(row.clicked)),
                 TableCell(row.clickRate.percentText()), TableCell(Formatting.integer(row.converted)),
                 TableCell(row.conversionRate.percentText())]
            }, emptyText: "No recovery message was sent in the window.")
        recoveryRevenue = DataTable(
            id: "analytics-recovery-revenue",
            caption: "Recovered revenue and discount given per stage and currency, last \(windowDays) days",
            columns: [TableColumn("Stage"), TableColumn("Currency"), TableColumn("Recovered orders", numeric: true),
                      TableColumn("Recovered revenue", numeric: true), TableColumn("Discount given", numeric: true)],
            rows: reports.recoveryRevenue.map { row in
                [TableCell(row.stage), TableCell(row.currency), TableCell(Formatting.integer(row.orders)),
                 TableCell(Formatting.amount(row.revenue, currency: row.currency)),
                 TableCell(Formatting.amount(row.discount, currency: row.currency))]
            }, emptyText: "No recovery message sent in the window has converted yet.")
        holdout = RecoveryLiftSection(
            stages: reports.recoveryLift.map(\.stage), returns: reports.recoveryReturns.map(\.money), windowDays: windowDays)
    }

    public var tables: [DataTable] {
        [funnel.table, cartValue, abandonedProducts.table, recoveryStages, recoveryRevenue] + holdout.tables
    }
}
