import Foundation
import NightlyCore
import TestSupport
import Testing

@Suite("Site view models: CSV, tables, charts, formatting, metrics")
struct SiteModelTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("-12.50", "-12.50"),
        ("42", "42"),
    ])
    func csvFieldsFollowRFC4180AndGuardFormulas(input: String, expected: String) {
        #expect(CSV.field(input) == expected)
    }

    @Test func csvDocumentUsesCRLFAndAHeader() {
        #expect(CSV.render(header: ["a", "b"], rows: [["1", "x,y"]], takenAt: testNow)
            == "a,b,Data taken at\r\n1,\"x,y\",2025-11-25T02:00:00Z\r\n")
    }

    @Test func tableGroupsLeadingColumnsWithRowspanButTheCSVRepeatsThem() {
        let table = DataTable(
            id: "t", caption: "T", columns: [TableColumn("Order"), TableColumn("Reason")],
            rows: [["A", "r1"], ["A", "r2"], ["B", "r3"]], groupedColumns: 1, groupKeys: ["a", "a", "b"])
        #expect(table.bodyRows.map { $0.cells.map(\.text) } == [["A", "r1"], ["r2"], ["B", "r3"]])
        #expect(table.bodyRows[0].cells[0].rowspan == 2)
        #expect(table.bodyRows[0].cells[0].spans)
        #expect(!table.bodyRows[2].cells[0].spans)
        #expect(table.csv(takenAt: testNow) == "Order,Reason,Data taken at\r\nA,r1,2025-11-25T02:00:00Z\r\nA,r2,2025-11-25T02:00:00Z\r\nB,r3,2025-11-25T02:00:00Z\r\n")
        #expect(table.csvPath == "csv/t.csv")
    }

    @Test func tableShowsAtMostShownRowsAndSaysSo() {
        let table = DataTable(
            id: "t", caption: "T", columns: [TableColumn("N", numeric: true)],
            rows: (1...5).map { [TableCell(String($0))] }, shownRows: 2)
        #expect(table.bodyRows.count == 2)
        #expect(table.note.contains("first 2 of 5"))
        #expect(table.csv(takenAt: testNow).split(separator: "\r\n").count == 6)
        #expect(table.bodyRows[0].cells[0].numeric)
    }

    @Test(arguments: [(7.0, 8.0, 2.0), (0.0, 4.0, 1.0), (3.0, 4.0, 1.0), (95.0, 100.0, 25.0), (1234.0, 2000.0, 500.0)])
    func niceBoundsAreRound(maximum: Double, bound: Double, step: Double) {
        let scale = ChartScale.niceBound(maximum, wholeNumbers: true)
        #expect(scale.bound == bound)
        #expect(scale.step == step)
    }

    @Test func barLengthsAreProportionalToValues() {
        let chart = BarChart(
            id: "c", title: "T", description: "D", categoryAxisLabel: "C", valueAxisLabel: "V",
            values: [(label: "a", value: 8), (label: "b", value: 2), (label: "a very long product name indeed", value: 0)],
            format: { String(Int($0)) })
        let widths = chart.bars.compactMap { Double($0.width) }
        #expect(widths == [360, 90, 0], "8 of a bound of 8 fills the 360-unit plot; 2 is a quarter")
        #expect(chart.bars[2].shortLabel == "a very long product name…")
        #expect(chart.ticks.map(\.label) == ["0", "2", "4", "6", "8"])
    }

    @Test func lineChartPlacesPointsAndTheReference() {
        let chart = LineChart(
            id: "l", title: "T", description: "D", xAxisLabel: "X", yAxisLabel: "Y", labels: ["d1", "d2", "d3"],
            series: [(name: "s", values: [0, 50, 100])], reference: (label: "target", value: 50),
            format: { String(Int($0)) })
        let ys = chart.series[0].points.compactMap { Double($0.y) }
        #expect(ys == [236, 144, 52], "0 at the bottom, the bound at the top")
        #expect(chart.reference?.y == "144.0")
        #expect(chart.series[0].points[1].title == "d2: 50")
        #expect(chart.xTicks.map(\.anchor) == ["start", "middle", "end"])
    }

    @Test func amountsKeepTheirCurrencysMinorUnit() {
        #expect(Formatting.amount(Decimal(string: "1234.5")!, currency: "USD") == "1,234.50 USD")
        #expect(Formatting.amount(Decimal(string: "54491.6")!, currency: "JPY") == "54,492 JPY")
        #expect(Formatting.amount(Decimal(string: "-0.5")!, currency: "EUR") == "-0.50 EUR")
        #expect(Formatting.integer(1_234_567) == "1,234,567")
    }

    @Test func metricTargetsCompareInTheRightDirection() throws {
        let metrics = Dictionary(uniqueKeysWithValues: SuccessMetric.catalogue.map { ($0.key, $0) })
        #expect(metrics["checkout_success"]?.isMet(by: 0.85) == true)
        #expect(metrics["checkout_success"]?.isMet(by: 0.849) == false)
        #expect(metrics["cart_abandonment"]?.isMet(by: 0.20) == true)
        #expect(metrics["cleanup_failure_rate"]?.isMet(by: 0.01) == false)
        #expect(metrics["optimistic_lock_conflicts"]?.targetText == "< 0.1 %")
        #expect(metrics["recovery_rate"]?.isMet(by: 0.10) == false)
        #expect(metrics["recovery_rate"]?.targetText == "> 10 %")
    }

    @Test func reportRecordsNameTheFileRowAndColumnOfABadValue() throws {
        let table = ReportTable(source: "queries/reports/x.sql", columns: ["n"], rows: [[.text("seven")]])
        let error = #expect(throws: ReportDataError.self) { try table.records[0].int("n") }
        #expect(error?.description.contains("queries/reports/x.sql, row 1, column \"n\"") == true)
        let missing = #expect(throws: ReportDataError.self) { try table.records[0].int("m") }
        #expect(missing?.description.contains("has no column \"m\"") == true)
    }

    @Test func aTypedRowNamesTheFileRowAndColumnItCannotDecode() throws {
        let table = ReportTable(
            source: "queries/reports/analytics_funnel.sql", columns: ["carts", "with_items", "checkout_started", "order_placed"],
            rows: [[.integer(4), .integer(3), .integer(2), .integer(1)], [.integer(4), .null, .integer(2), .integer(1)]])
        #expect(try Funnel(table.records[0]).orderPlaced == 1)
        let error = #expect(throws: ReportDataError.self) { try Funnel(table.records[1]) }
        #expect(error?.description == "queries/reports/analytics_funnel.sql, row 2, column \"with_items\" holds null, not a whole number")
    }

    @Test func aRatioOverNothingHasNoValueAndSaysSo() {
        #expect(Ratio(0, of: 0).value == nil)
        #expect(Ratio(0, of: 0).percentText(digits: 2) == "no data")
        #expect(Ratio(0, of: 5).percentText() == "0.0 %", "nothing out of something is a real 0")
        #expect(Ratio(1, of: 3).percentText(digits: 2) == "33.33 %")
    }
}
