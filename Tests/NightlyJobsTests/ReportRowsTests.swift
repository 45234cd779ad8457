import Foundation
import Logging
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("Report rows: every queries/reports file decoded once into its typed row")
struct ReportRowsTests {
    /// Runs every report query on `database` at the test clock and decodes the results.
    func load(_ database: TestDatabase) async throws -> (data: ReportData, reports: Reports) {
        let data = try await ReportQueries(queries: QueryLibrary(directory: Repository.queries)).load(
            [try database.connect()], parameters: .init(now: testNow, windowDays: 30, runID: UUID())).data
        return (data, try Reports(decoding: data))
    }

    /// Retry ledger rows in each state the reports read: one pending, one confirmed, one exhausted.
    func insertRetries(_ connection: Connection) throws {
        let key = String(repeating: "ab", count: 32)
        for (reservation, state, attempts, nextAttempt, reason, resolved) in [
            ("res-pending", "pending", 1, testNow.addingTimeInterval(300), nil, nil),
            ("res-confirmed", "confirmed", 2, nil, nil, testNow.addingTimeInterval(-1800)),
            ("res-exhausted", "exhausted", 3, nil, "insufficient_stock", testNow.addingTimeInterval(-600)),
        ] as [(String, String, Int, Date?, String?, Date?)] {
            try connection.execute(
                """
                INSERT INTO checkout_nightly.reservation_retries
                    (order_id, reservation_id, entry, order_number, sku, warehouse_id, idempotency_key, enrolled_at, state,
                     attempts, next_attempt_at, exhausted_reason, last_answer, resolved_at)
                VALUES (gen_random_uuid(), $1::text, '{}'::jsonb, 'ORD-RETRY', 'SKU-1', 'WH-1', $2::text,
                        $3::timestamptz, $4::text, $5::int, $6::timestamptz, $7::text, '422 insufficient_stock',
                        $8::timestamptz)
                """,
                [reservation, key, testNow.addingTimeInterval(-3600), state, attempts, nextAttempt, reason, resolved])
        }
    }

    @Test func everyFileDecodesEveryRowOfASeededDatabase() async throws {
        let database = try TestDatabase.seeded(carts: 400, now: testNow)
        let connection = try database.connect()
        let fixtures = try Fixtures(database)
        try fixtures.recoveryMessage(.firstEmail, hoursAgo: 30, clicked: true, converted: (total: 95, currency: "USD", percent: 5))
        try fixtures.recoveryMessage(.secondEmail, hoursAgo: 80, clicked: false)
        try insertRetries(connection)
        // The seed writes only well-formed errors: one order whose errors are a string.
        try connection.execute(
            """
            INSERT INTO orders (id, order_number, customer_id, status, total_amount, currency, metadata, created_at)
            VALUES (gen_random_uuid(), 'ORD-MALFORMED', gen_random_uuid(), 'paid', 10, 'USD',
                    '{"reservation_ids": ["r1"], "reservation_confirmation_errors": "timeout"}'::jsonb, $1::timestamptz)
            """, [testNow.addingTimeInterval(-3600)])
        let (data, reports) = try await load(database)

        let files = try FileManager.default.contentsOfDirectory(atPath: Repository.queries + "/reports")
            .filter { $0.hasSuffix(".sql") }
        #expect(data.tables.count == files.count + 2,
                "every file ran (cart_figures.sql holds the rows of three reports), and Reports(decoding:) read each one")
        let decoded: [(file: String, rows: Int)] = [
            (AbandonedProductRow.file, reports.abandonedProducts.count), (CartValueRow.file, reports.cartValues.count),
            (RecoveryStageRow.file, reports.recoveryStages.count), (RecoveryRevenueRow.file, reports.recoveryRevenue.count),
            (CheckoutSuccessDay.file, reports.checkoutSuccessTrend.count),
            (SuccessMetricRow.file, reports.successMetricRows.count), (ReservationErrorRow.file, reports.errorOrders.count),
            (ReservationErrorDay.file, reports.errorTrend.count), (FailingProductRow.file, reports.failingProducts.count),
            (FailureReasonRow.file, reports.failureReasons.count), (MalformedOrderRow.file, reports.malformedOrders.count),
            (RetryConfirmedRow.file, reports.retryConfirmed.count), (RetryExhaustedRow.file, reports.retryExhausted.count),
            (RetryPendingRow.file, reports.retryPending.count),
        ]
        for (file, rows) in decoded {
            #expect(rows == data.tables[file]?.rows.count, "\(file): every row decoded")
            #expect(rows > 0, "\(file): the seeded data gives it rows to decode")
        }
        for file in [Freshness.file, RecoveryRate.file, ManualReconciliation.file, ReservationConfirmations.file,
                     ReconciliationTotals.file, RetryTotals.file, CheckoutTime.file, Funnel.file] {
            #expect(data.tables[file]?.rows.count == 1, "\(file) returns its one row")
        }

        // Values, checked against the database and the rows inserted above.
        #expect(reports.freshness.carts == 400)
        #expect(reports.freshness.orders == (try connection.count("SELECT count(*) AS n FROM orders")))
        #expect(reports.freshness.newestCartActivity.map { $0 <= testNow } == true)
        #expect(reports.checkoutSuccessTrend.count == 30 && reports.errorTrend.count == 30, "one row per day of the window")
        #expect(reports.confirmations.attempted >= reports.confirmations.failed && reports.confirmations.failed > 0)
        #expect(reports.funnel.carts >= reports.funnel.withItems && reports.funnel.withItems >= reports.funnel.checkoutStarted
                && reports.funnel.checkoutStarted >= reports.funnel.orderPlaced && reports.funnel.orderPlaced > 0)
        #expect(reports.malformedOrders.map { "\($0.orderNumber ?? "none"): \($0.problem) \($0.rawValue)" }
                == [#"ORD-MALFORMED: reservation_confirmation_errors is string, not an array "timeout""#])
        #expect(reports.malformedOrders.first?.createdAt == testNow.addingTimeInterval(-3600))
        #expect(reports.checkoutTime.medianSeconds != nil && reports.checkoutTime.orders > 0)
        #expect(reports.recoveryStages.map(\.stage) == ["first_email", "second_email"])
        #expect(reports.recoveryRate.ratio == Ratio(1, of: 2))
        #expect(reports.recoveryRevenue.map { "\($0.stage) \($0.currency) \($0.revenue) \($0.discount)" } == ["first_email USD 95 5"])
        let totals = reports.retryTotals
        let retryCounts: [Int] = [totals.errors24h, totals.errors30d, totals.confirmed24h, totals.pending, totals.exhausted]
        #expect(retryCounts == [3, 3, 1, 1, 1])
        #expect(reports.manualReconciliation.ratio == Ratio(1, of: 3))
        #expect(reports.retryPending.map { "\($0.attempt) \($0.errors)" } == ["2 1"])
        #expect(reports.retryConfirmed.map { "\($0.attempt) \($0.confirmed24h) \($0.confirmed30d)" } == ["2 1 1"])
        let exhausted = try #require(reports.retryExhausted.first)
        #expect([exhausted.orderNumber, exhausted.reservationID, exhausted.reason, exhausted.lastAnswer]
                == ["ORD-RETRY", "res-exhausted", "insufficient_stock", "422 insufficient_stock"])
        #expect(exhausted.attempts == 3 && exhausted.exhaustedAt == testNow.addingTimeInterval(-600))
        #expect(exhausted.customerEmail == nil, "the order is not in the order service's table")
    }

    @Test func noConfirmationMeansNoDataOnThePageAndNoSampleInTheMetricFile() async throws {
        let database = try TestDatabase.create()
        let (_, reports) = try await load(database)
        #expect(reports.confirmations.attempted == 0)
        #expect(reports.confirmations.failureRatio.value == nil)
        let families = ReportMetrics.families(reports)
        #expect(families.first { $0.name == "checkout_reservation_confirmation_failure_ratio" }?.samples.isEmpty == true)

        let output = try makeTemporaryDirectory("no-data")
        try await NightlyRun(
            settings: testSettings(database: database, output: output, now: testNow, steps: [.reports]),
            logger: Logger(label: "test")
        ).execute()
        let page = try siteFile(output.appendingPathComponent("site").resolvingSymlinksInPath(), "reconciliation.html")
        #expect(try statValue(page, "Reservation failure rate, last 24 h") == "no data")
        let metrics = try String(
            contentsOf: output.appendingPathComponent("metrics/checkout_nightly_reports.prom"), encoding: .utf8)
        #expect(!metrics.contains("checkout_reservation_confirmation_failure_ratio"),
                "no data is no sample, as the page says \"no data\", not 0 %")
        #expect(metrics.contains("checkout_reservation_confirmations{status=\"failed\"} 0"))
        #expect(metrics.contains("checkout_reservation_confirmations{status=\"succeeded\"} 0"))
    }

    @Test func theFailureRatioOfThePageIsTheMetricsSample() async throws {
        let database = try TestDatabase.seeded(carts: 200, now: testNow)
        let (_, reports) = try await load(database)
        let ratio = try #require(reports.confirmations.failureRatio.value)
        let sample = ReportMetrics.families(reports).first { $0.name == "checkout_reservation_confirmation_failure_ratio" }
        #expect(sample?.samples.map(\.value) == [ratio])
        #expect(reports.confirmations.failureRatio.percentText(digits: 2) == Formatting.percent(ratio, digits: 2))
    }
}
