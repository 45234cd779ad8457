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

    public init(data: ReportData, now: Date, runID: UUID, windowDays: Int) throws {
        stamp = PageStamp(now: now, runID: runID)
        self.windowDays = windowDays

        let time = try data.table("analytics_checkout_time").single()
        let median = try time.doubleIfPresent("median_seconds")
        let p90 = try time.doubleIfPresent("p90_seconds")
        let counted = "Over \(Formatting.integer(try time.int("orders"))) orders placed in the last \(windowDays) days, from checkout start to order."
        stats = [
            Stat(label: "Checkout completion time, median", value: median.map(Formatting.duration) ?? "no data", detail: counted),
            Stat(label: "Checkout completion time, 90th percentile", value: p90.map(Formatting.duration) ?? "no data",
                 detail: "Nine in ten checkouts finished within this time."),
        ]

        let counts = try data.table("analytics_funnel").single()
        let steps: [(label: String, count: Int)] = [
            ("Carts", try counts.int("carts")), ("With items", try counts.int("with_items")),
            ("Checkout started", try counts.int("checkout_started")), ("Order placed", try counts.int("order_placed")),
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
                    let drop = previous.map { $0 - count }
                    return [TableCell(steps[index].label), TableCell(Formatting.integer(count)),
                            TableCell(drop.map(Formatting.integer) ?? "—"),
                            TableCell(previous.map { $0 > 0 ? Formatting.percent(Double($0 - count) / Double($0)) : "no data" } ?? "—"),
                            TableCell(steps[0].count > 0 ? Formatting.percent(Double(count) / Double(steps[0].count)) : "no data")]
                }))

        cartValue = DataTable(
            id: "analytics-cart-value", caption: "Average cart value per currency, carts created in the last \(windowDays) days",
            columns: [TableColumn("Currency"), TableColumn("Carts with items", numeric: true),
                      TableColumn("Average value", numeric: true), TableColumn("Total value", numeric: true)],
            rows: try data.table("analytics_cart_value").records.map { record in
                let currency = try record.text("currency")
                return [TableCell(currency), TableCell(Formatting.integer(try record.int("carts"))),
                        TableCell(Formatting.amount(try record.decimal("average_value"), currency: currency)),
                        TableCell(Formatting.amount(try record.decimal("total_value"), currency: currency))]
            }, emptyText: "No cart with items was created in the window.")

        let products = try data.table("analytics_abandoned_products").records
        abandonedProducts = Figure(
            bar: BarChart(
                id: "analytics-abandoned-products", title: "Most abandoned products",
                description: "Products left most often in carts abandoned in the last \(windowDays) days, by number of carts.",
                categoryAxisLabel: "Product", valueAxisLabel: "Abandoned carts",
                values: try products.map { (label: try $0.text("product_name"), value: Double(try $0.int("carts"))) },
                format: { Formatting.integer(Int($0.rounded())) }),
            table: DataTable(
                id: "analytics-abandoned-products", caption: "Most abandoned products, last \(windowDays) days",
                columns: [TableColumn("Product"), TableColumn("Product ID"), TableColumn("Carts", numeric: true),
                          TableColumn("Units", numeric: true)],
                rows: try products.map { record in
                    [TableCell(try record.text("product_name")), TableCell(try record.text("product_id")),
                     TableCell(Formatting.integer(try record.int("carts"))), TableCell(Formatting.integer(try record.int("units")))]
                }, emptyText: "No abandoned cart in the window."))

        recoveryStages = DataTable(
            id: "analytics-recovery-stages", caption: "Recovery by stage, messages sent in the last \(windowDays) days",
            columns: [TableColumn("Stage"), TableColumn("Sent", numeric: true), TableColumn("Clicked", numeric: true),
                      TableColumn("Click rate", numeric: true), TableColumn("Converted", numeric: true),
                      TableColumn("Conversion rate", numeric: true)],
            rows: try data.table("analytics_recovery_by_stage").records.map { record in
                let sent = try record.int("sent")
                func rate(_ value: Int) -> String { sent > 0 ? Formatting.percent(Double(value) / Double(sent)) : "no data" }
                let clicked = try record.int("clicked")
                let converted = try record.int("converted")
                return [TableCell(try record.text("stage")), TableCell(Formatting.integer(sent)),
                        TableCell(Formatting.integer(clicked)), TableCell(rate(clicked)),
                        TableCell(Formatting.integer(converted)), TableCell(rate(converted))]
            }, emptyText: "No recovery message was sent in the window.")
        recoveryRevenue = DataTable(
            id: "analytics-recovery-revenue",
            caption: "Recovered revenue and discount given per stage and currency, last \(windowDays) days",
            columns: [TableColumn("Stage"), TableColumn("Currency"), TableColumn("Recovered orders", numeric: true),
                      TableColumn("Recovered revenue", numeric: true), TableColumn("Discount given", numeric: true)],
            rows: try data.table("analytics_recovery_revenue").records.map { record in
                let currency = try record.text("currency")
                return [TableCell(try record.text("stage")), TableCell(currency),
                        TableCell(Formatting.integer(try record.int("orders"))),
                        TableCell(Formatting.amount(try record.decimal("revenue"), currency: currency)),
                        TableCell(Formatting.amount(try record.decimal("discount"), currency: currency))]
            }, emptyText: "No recovery message sent in the window has converted yet.")
    }

    public var tables: [DataTable] {
        [funnel.table, cartValue, abandonedProducts.table, recoveryStages, recoveryRevenue]
    }
}
