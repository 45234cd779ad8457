import Foundation
import NightlyCore
import NightlyJobs
import Postgres
import Rendering
import Testing
import TestSupport

/// Data built for the figures, with every expected figure computed here in Swift from the same fixtures,
/// independently of the report SQL.
struct DashboardFixture {
    struct Item {
        var productID: String
        var name: String
        var quantity: Int
        var price: Decimal
        var inStock = true
    }

    struct Order {
        var number: String
        var hoursAgo: Double
        var total: Decimal
        var currency: String
        var customerEmail: String
        var reservationIDs: [String]
        /// The raw JSON of `reservation_confirmation_errors`, nil for none.
        var errorsJSON: String?
        /// Well-formed errors in `errorsJSON`: (reason, product id), and how many confirmations it records failing.
        var wellFormed: [(reason: String, productID: String)] = []
        var failures: Int { errorsJSON == nil ? 0 : (wellFormed.isEmpty ? malformedFailures : wellFormed.count) }
        var malformedFailures = 0
        var malformed: Bool { errorsJSON != nil && wellFormed.isEmpty }
    }

    struct Cart {
        var currency: String
        var createdDaysAgo: Double
        var items: [Item]
        /// Seconds from checkout start to the order, when the cart has an order.
        var checkoutSeconds: Double?
        var checkoutWithoutOrder = false
        var order: Order?
        var cleanedByJob = false
    }

    static let markupProduct = "<script>alert(1)</script> Mug"
    static let markupMessage = "<b>no</b> stock & <i>more</i>"
    static let formulaMessage = "=HYPERLINK(\"http://evil.example\")"

    let carts: [Cart] = [
        Cart(currency: "USD", createdDaysAgo: 3,
             items: [Item(productID: "prod-mug", name: markupProduct, quantity: 2, price: 10),
                     Item(productID: "prod-tee", name: "Tee", quantity: 1, price: 5)],
             checkoutSeconds: 600,
             order: Order(number: "ORD-A", hoursAgo: 2, total: 25, currency: "USD", customerEmail: "jane.doe@example.com",
                          reservationIDs: ["r1", "r2", "r3"],
                          errorsJSON: """
                              [{"reservation_id": "r1", "product_id": "prod-mug", "sku": "SKU-MUG", "warehouse_id": "WH-1", "reason": "insufficient_stock", "message": \(json(markupMessage))},
                               {"reservation_id": "r2", "product_id": "prod-tee", "sku": "SKU-TEE", "warehouse_id": "WH-2", "reason": "warehouse_timeout", "message": \(json(formulaMessage))}]
                              """,
                          wellFormed: [("insufficient_stock", "prod-mug"), ("warehouse_timeout", "prod-tee")]),
             cleanedByJob: true),
        Cart(currency: "USD", createdDaysAgo: 4, items: [Item(productID: "prod-tee", name: "Tee", quantity: 1, price: 15)],
             checkoutSeconds: 1200,
             order: Order(number: "ORD-B", hoursAgo: 5, total: 15, currency: "USD", customerEmail: "bob@example.org",
                          reservationIDs: ["r4"], errorsJSON: #""timeout talking to warehouse""#, malformedFailures: 1)),
        Cart(currency: "EUR", createdDaysAgo: 5, items: [Item(productID: "prod-pen", name: "Pen", quantity: 3, price: 7)],
             checkoutSeconds: 1800,
             order: Order(number: "ORD-C", hoursAgo: 30, total: 21, currency: "EUR", customerEmail: "bob@example.org",
                          reservationIDs: ["r5", "r6"], errorsJSON: #"[42, "x"]"#, malformedFailures: 2)),
        Cart(currency: "JPY", createdDaysAgo: 2, items: [Item(productID: "prod-mug", name: markupProduct, quantity: 1, price: 1000)],
             checkoutWithoutOrder: true),
        Cart(currency: "USD", createdDaysAgo: 6,
             items: [Item(productID: "prod-lamp", name: "Desk Lamp <LED>", quantity: 1, price: 40, inStock: false)]),
        Cart(currency: "USD", createdDaysAgo: 2, items: []),
        Cart(currency: "EUR", createdDaysAgo: 40, items: [Item(productID: "prod-pen", name: "Pen", quantity: 1, price: 7)],
             checkoutSeconds: 60,
             order: Order(number: "ORD-OLD", hoursAgo: 40 * 24 - 1, total: 7, currency: "EUR", customerEmail: "bob@example.org",
                          reservationIDs: ["r0"], errorsJSON: nil)),
    ]

    /// Orders placed without a cart (another channel).
    let cartlessOrders: [Order] = [
        Order(number: "ORD-D", hoursAgo: 10, total: 99, currency: "USD", customerEmail: "bob@example.org",
              reservationIDs: ["r7", "r8"], errorsJSON: nil),
        Order(number: "ORD-E", hoursAgo: 72, total: 12, currency: "USD", customerEmail: "bob@example.org",
              reservationIDs: ["r11"], errorsJSON: #"{"reason": "not an array"}"#, malformedFailures: 1),
        Order(number: "ORD-F", hoursAgo: 12, total: 30, currency: "USD", customerEmail: "jane.doe@example.com",
              reservationIDs: ["r9"], errorsJSON: #"[{"reservation_id": "r9"}]"#, malformedFailures: 1),
        Order(number: "ORD-G", hoursAgo: 8 * 24, total: 50, currency: "USD", customerEmail: "bob@example.org",
              reservationIDs: ["r10"],
              errorsJSON: #"[{"reservation_id": "r10", "product_id": "prod-mug", "warehouse_id": "WH-1", "reason": "insufficient_stock"}]"#,
              wellFormed: [("insufficient_stock", "prod-mug")]),
    ]

    static func json(_ text: String) -> String {
        String(data: try! JSONEncoder().encode(text), encoding: .utf8)!
    }

    var allOrders: [Order] { carts.compactMap(\.order) + cartlessOrders }
    var windowCarts: [Cart] { carts.filter { $0.createdDaysAgo < 30 } }

    // MARK: Expected figures

    var failureRate24h: (failed: Int, attempted: Int) {
        let recent = allOrders.filter { $0.hoursAgo < 24 }
        return (recent.map(\.failures).reduce(0, +),
                recent.map { max($0.reservationIDs.count, $0.failures) }.reduce(0, +))
    }
    var affectedOrders: Int { allOrders.filter { $0.errorsJSON != nil }.count }
    var affectedOrders7d: Int { allOrders.filter { $0.errorsJSON != nil && $0.hoursAgo <= 7 * 24 }.count }
    var malformedOrders: Int { allOrders.filter(\.malformed).count }
    var funnel: [Int] {
        let withItems = windowCarts.filter { !$0.items.isEmpty || $0.order != nil }
        let checkout = withItems.filter { $0.checkoutSeconds != nil || $0.checkoutWithoutOrder }
        return [windowCarts.count, withItems.count, checkout.count, windowCarts.filter { $0.order != nil }.count]
    }
    var averageCartValue: [String: Decimal] {
        var sums: [String: (Decimal, Int)] = [:]
        for cart in windowCarts where !cart.items.isEmpty {
            let value = cart.items.reduce(Decimal(0)) { $0 + $1.price * Decimal($1.quantity) }
            sums[cart.currency, default: (0, 0)].0 += value
            sums[cart.currency, default: (0, 0)].1 += 1
        }
        return sums.mapValues { $0.0 / Decimal($0.1) }
    }
    /// percentile_cont: linear interpolation between the closest ranks.
    func completionPercentile(_ fraction: Double) -> Double {
        let values = carts.filter { ($0.order?.hoursAgo ?? .infinity) < 30 * 24 }.compactMap(\.checkoutSeconds).sorted()
        let position = fraction * Double(values.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        return values[lower] + (position - Double(lower)) * (values[upper] - values[lower])
    }

    // MARK: Rows

    func insert(into fixtures: Fixtures) throws {
        var customers: [String: UUID] = [:]
        for email in Set(allOrders.map(\.customerEmail)).sorted() {
            customers[email] = try fixtures.customer(email: email)
        }
        let now = fixtures.now
        func insertOrder(_ order: Order, cart: UUID?) throws {
            let ids = "[" + order.reservationIDs.map(Self.json).joined(separator: ", ") + "]"
            let json = order.errorsJSON.map { #"{"reservation_ids": \#(ids), "reservation_confirmation_errors": \#($0)}"# }
                ?? #"{"reservation_ids": \#(ids)}"#
            try fixtures.order(
                number: order.number, customer: customers[order.customerEmail], cart: cart, total: order.total,
                currency: order.currency, metadata: json, createdAt: now.addingTimeInterval(-order.hoursAgo * 3600))
        }
        for cart in carts {
            let created = now.addingTimeInterval(-cart.createdDaysAgo * 86400)
            let orderTime = cart.order.map { now.addingTimeInterval(-$0.hoursAgo * 3600) }
            let checkoutStarted = cart.checkoutSeconds.flatMap { seconds in orderTime.map { $0.addingTimeInterval(-seconds) } }
                ?? (cart.checkoutWithoutOrder ? created.addingTimeInterval(600) : nil)
            let id = try fixtures.cart(
                status: cart.order != nil ? "completed" : cart.checkoutWithoutOrder ? "checkout" : "active",
                lastActivity: orderTime ?? checkoutStarted ?? created.addingTimeInterval(3600), createdAt: created,
                checkoutStartedAt: checkoutStarted, currency: cart.currency,
                metadata: cart.cleanedByJob ? #"{"cleaned_by_job": true}"# : "{}",
                items: cart.items.map {
                    CartItem(
                        $0.name, productID: $0.productID, quantity: $0.quantity, price: $0.price, inStock: $0.inStock,
                        stockError: $0.inStock ? nil : "Unable to verify stock")
                })
            if let order = cart.order { try insertOrder(order, cart: id) }
        }
        for order in cartlessOrders { try insertOrder(order, cart: nil) }
    }
}

@Suite("Dashboard figures on data built for them")
struct SiteFiguresTests {
    let fixture = DashboardFixture()

    func site() async throws -> URL {
        let database = try TestDatabase.create()
        try fixture.insert(into: try Fixtures(database))
        return try await buildSite(database)
    }

    @Test func reconciliationFigures() async throws {
        let site = try await site()
        let page = try siteFile(site, "reconciliation.html")
        let rate = fixture.failureRate24h
        #expect(rate == (failed: 4, attempted: 7), "the fixture itself: 2 + 1 + 0 + 1 of 3 + 1 + 2 + 1")
        #expect(try statValue(page, "Reservation failure rate, last 24 h")
                == Formatting.percent(Double(rate.failed) / Double(rate.attempted), digits: 2))
        #expect(try statValue(page, "Orders with errors, last 7 days") == String(fixture.affectedOrders7d))
        #expect(try statValue(page, "Total affected orders") == String(fixture.affectedOrders))
        #expect(try statValue(page, "Orders with malformed error records") == String(fixture.malformedOrders))

        // The 7-day list: one row per well-formed error, the customer masked, the total in its currency.
        let errors = try csvRows(site, "reconciliation-error-orders")
        let listed = fixture.allOrders.filter { $0.hoursAgo <= 7 * 24 }.flatMap { order in order.wellFormed.map { _ in order } }
        #expect(errors.count == 1 + listed.count)
        #expect(errors.dropFirst().allSatisfy { $0[0] == "ORD-A" && $0[1] == "j***@example.com" && $0[2] == "25.00 USD" })
        #expect(!page.contains("jane.doe@example.com"))
        #expect(errors.dropFirst().map { $0[5] } == ["insufficient_stock", "warehouse_timeout"])
        #expect(errors[2][9] == "'" + DashboardFixture.formulaMessage, "a formula in a CSV cell is neutralised")

        // Every malformed shape is listed, one row per problem; the page still renders.
        let malformed = try csvRows(site, "reconciliation-malformed")
        #expect(Set(malformed.dropFirst().map { $0[0] }) == Set(fixture.allOrders.filter(\.malformed).map(\.number)))
        #expect(malformed.dropFirst().filter { $0[0] == "ORD-C" }.map { $0[2] }
                == ["element 1 is number, not an object", "element 2 is string, not an object"])
        #expect(malformed.dropFirst().contains { $0[0] == "ORD-B" && $0[2] == "reservation_confirmation_errors is string, not an array" })
        #expect(malformed.dropFirst().contains { $0[0] == "ORD-E" && $0[2] == "reservation_confirmation_errors is object, not an array" })
        #expect(malformed.dropFirst().contains { $0[0] == "ORD-F" && $0[2] == "element 1 lacks reason, product_id, warehouse_id" })

        // The trend: one row per day of the 30-day window; orders with errors of any shape, well-formed errors.
        let trend = try csvRows(site, "reconciliation-trend").dropFirst()
        #expect(trend.count == 30)
        let firstDay = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: testNow.addingTimeInterval(-29 * 86400))
        let windowStart = Calendar(identifier: .gregorian).date(from: DateComponents(
            timeZone: TimeZone(identifier: "UTC"), year: firstDay.year, month: firstDay.month, day: firstDay.day))!
        let inTrend = fixture.allOrders.filter {
            $0.errorsJSON != nil && testNow.addingTimeInterval(-$0.hoursAgo * 3600) >= windowStart
        }
        let trendOrders: Int = trend.compactMap { Int($0[1]) }.reduce(0, +)
        let trendErrors: Int = trend.compactMap { Int($0[2]) }.reduce(0, +)
        let expectedErrors: Int = inTrend.map { $0.wellFormed.count }.reduce(0, +)
        #expect(trendOrders == inTrend.count)
        #expect(trendErrors == expectedErrors)
        #expect(trend.last?[0] == "2025-11-25" && trend.last?[1] == "1", "ORD-A, placed two hours before the clock")

        // Reasons and products over the 30-day window.
        let wellFormed = fixture.allOrders.filter { $0.hoursAgo < 30 * 24 }.flatMap(\.wellFormed)
        let reasons = try csvRows(site, "reconciliation-reasons").dropFirst().map { [$0[0]: Int($0[1])!] }
        #expect(reasons == Dictionary(grouping: wellFormed, by: \.reason).mapValues(\.count)
            .sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { [$0.key: $0.value] })
        let products = try csvRows(site, "reconciliation-products").dropFirst().map { "\($0[0])=\($0[3])" }
        #expect(Set(products) == Set(Dictionary(grouping: wellFormed, by: \.productID).map { "\($0.key)=\($0.value.count)" }))
    }

    @Test func markupInProductNamesAndErrorMessagesIsShownAsText() async throws {
        let site = try await site()
        for name in try sitePages(site) {
            let document = try HTMLDocument(html: try siteFile(site, name))
            #expect(document.texts(of: "script").isEmpty, "\(name) must contain no script element")
            #expect(document.texts(of: "b").isEmpty && document.texts(of: "i").isEmpty, "\(name): markup from data became elements")
        }
        let reconciliation = try HTMLDocument(html: try siteFile(site, "reconciliation.html")).texts(of: "td")
        #expect(reconciliation.contains(DashboardFixture.markupMessage))
        #expect(reconciliation.contains("\(DashboardFixture.markupProduct) (prod-mug)"))
        let analytics = try HTMLDocument(html: try siteFile(site, "analytics.html")).texts(of: "td")
        #expect(analytics.contains(DashboardFixture.markupProduct))
        #expect(analytics.contains("Desk Lamp <LED>"))
    }

    @Test func cartAnalyticsFigures() async throws {
        let site = try await site()
        let funnel = try csvRows(site, "analytics-funnel")
        #expect(funnel.dropFirst().map { $0[0] } == ["Carts", "With items", "Checkout started", "Order placed"])
        #expect(funnel.dropFirst().map { Int($0[1])! } == fixture.funnel)
        #expect(fixture.funnel == [6, 5, 4, 3], "the fixture itself")
        #expect(funnel[2][2] == String(fixture.funnel[0] - fixture.funnel[1]), "the drop from carts to carts with items")

        let values = try csvRows(site, "analytics-cart-value").dropFirst()
        #expect(Dictionary(uniqueKeysWithValues: values.map { ($0[0], $0[2]) })
                == fixture.averageCartValue.reduce(into: [:]) { $0[$1.key] = Formatting.amount($1.value, currency: $1.key) })
        #expect(values.first { $0[0] == "USD" }?[2] == "26.67 USD", "(25 + 15 + 40) / 3, never mixed with EUR or JPY")

        let page = try siteFile(site, "analytics.html")
        #expect(try statValue(page, "Checkout completion time, median") == Formatting.duration(fixture.completionPercentile(0.5)))
        #expect(try statValue(page, "Checkout completion time, 90th percentile") == Formatting.duration(fixture.completionPercentile(0.9)))
        #expect(fixture.completionPercentile(0.9) == 1680, "the fixture itself: 1200 + 0.8 × 600")
        #expect(page.contains("No recovery message was sent in the window."), "the recovery ledger is empty")
    }

    @Test func overviewSuccessMetrics() async throws {
        let site = try await site()
        let metrics = try csvRows(site, "overview-success-metrics").dropFirst()
        let values = Dictionary(uniqueKeysWithValues: metrics.map { ($0[0], $0[2]) })
        let window = fixture.windowCarts
        let started = window.filter { $0.checkoutSeconds != nil || $0.checkoutWithoutOrder }
        #expect(values["Checkout success rate"]
                == Formatting.percent(Double(started.filter { $0.order != nil }.count) / Double(started.count)))
        let cohort = window.filter { $0.createdDaysAgo >= 1 && (!$0.items.isEmpty || $0.order != nil) }
        #expect(values["Cart abandonment"]
                == Formatting.percent(Double(cohort.filter { $0.order == nil }.count) / Double(cohort.count)))
        let withItems = window.filter { !$0.items.isEmpty }
        #expect(values["Stock error rate"]
                == Formatting.percent(Double(withItems.filter { $0.items.contains { !$0.inStock } }.count) / Double(withItems.count)))
        let ordered = window.filter { $0.order != nil }
        #expect(values["Cart cleanup failure rate"]
                == Formatting.percent(Double(ordered.filter(\.cleanedByJob).count) / Double(ordered.count)))
        #expect(values["Optimistic-lock conflicts"] == "no data", "no stuck-cart run is in the ledger")
        #expect(values["Cart recovery rate"] == "no data", "the recovery ledger is empty")
        #expect(metrics.first { $0[0] == "Cart recovery rate" }?[5] == "no data")
    }
}

@Suite("Recovery figures from the recovery ledger")
struct SiteRecoveryFiguresTests {
    @Test func recoveryByStageAndRecoveryRate() async throws {
        let database = try TestDatabase.create()
        let fixtures = try Fixtures(database)
        try fixtures.recoveryMessage(
            .firstEmail, hoursAgo: 30, clicked: true, converted: (total: 95, currency: "USD", percent: 5))
        try fixtures.recoveryMessage(.firstEmail, hoursAgo: 20, clicked: false)
        try fixtures.recoveryMessage(
            .secondEmail, hoursAgo: 80, clicked: true, converted: (total: 9000, currency: "JPY", percent: 10))
        try fixtures.recoveryMessage(
            .secondEmail, hoursAgo: 40 * 24, clicked: true, converted: (total: 10, currency: "EUR", percent: 10))
        // Converted from the cart without using the code: revenue, but no discount given.
        try fixtures.recoveryMessage(
            .secondEmail, hoursAgo: 100, clicked: false, converted: (total: 5000, currency: "JPY", percent: 10), usedCode: false)
        // A 100 % code: nothing paid, and no discount can be derived from the total (no division by zero).
        try fixtures.recoveryMessage(
            .firstEmail, hoursAgo: 10, clicked: false, converted: (total: 0, currency: "EUR", percent: 100))
        let site = try await buildSite(database)

        let stages = try csvRows(site, "analytics-recovery-stages").dropFirst().map { $0.prefix(6).joined(separator: "|") }
        #expect(stages == ["first_email|3|1|33.3 %|2|66.7 %", "second_email|2|1|50.0 %|2|100.0 %"],
                "the message sent 40 days ago is outside the window")
        let revenue = try csvRows(site, "analytics-recovery-revenue").dropFirst().map { $0.joined(separator: "|") }
        // Discount given: the order total is after the discount, so total × p / (100 − p), for orders that used
        // the message's code.
        #expect(revenue == ["first_email|EUR|1|0.00 EUR|0.00 EUR", "first_email|USD|1|95.00 USD|5.00 USD",
                            "second_email|JPY|2|14,000 JPY|1,000 JPY"])
        let metrics = try csvRows(site, "overview-success-metrics").first { $0[0] == "Cart recovery rate" }
        #expect(metrics?[2] == Formatting.percent(4.0 / 5.0))
        #expect(metrics?[5] == "met")
    }
}

@Suite("Report queries: read-only, declared parameters, no invented figures")
struct ReportQueriesTests {
    /// A copy of `queries/` to change.
    func copiedQueries() throws -> URL {
        let queries = try makeTemporaryDirectory("queries").appendingPathComponent("queries")
        try FileManager.default.copyItem(atPath: Repository.queries, toPath: queries.path)
        return queries
    }

    /// A copy of `queries/` with one extra report file.
    func queriesWith(_ file: String, _ sql: String) throws -> String {
        let queries = try copiedQueries()
        try sql.write(to: queries.appendingPathComponent("reports/\(file)"), atomically: true, encoding: .utf8)
        return queries.path
    }

    func run(_ database: TestDatabase, queries: String) async throws {
        var settings = testSettings(
            database: database, output: try makeTemporaryDirectory("site"), now: testNow, steps: [.reports])
        settings.queriesDirectory = queries
        try await NightlyRun(settings: settings, logger: .init(label: "test")).execute()
    }

    @Test func reportQueriesRunInAReadOnlyTransaction() async throws {
        let database = try TestDatabase.create()
        let queries = try queriesWith(
            "zz_writes.sql",
            "-- parameters: now\nINSERT INTO customers (id, email, created_at) VALUES (gen_random_uuid(), 'x@example.com', $1::timestamptz) RETURNING id;\n")
        let error = await #expect(throws: NightlyError.self) { try await run(database, queries: queries) }
        #expect(error?.description.contains("read-only transaction") == true)
        #expect(error?.description.contains("zz_writes.sql") == true)
        let customers = try database.connect().count("SELECT count(*) AS n FROM customers")
        #expect(customers == 0)
    }

    @Test func anUnknownParameterNamesTheFileAndLine() async throws {
        let queries = try queriesWith("zz_unknown.sql", "-- A report.\n-- parameters: now, tomorrow\nSELECT $1::timestamptz AS now;\n")
        let error = await #expect(throws: NightlyError.self) { try await run(try TestDatabase.create(), queries: queries) }
        #expect(error?.description.contains("zz_unknown.sql:2: unknown parameter \"tomorrow\"") == true)
    }

    @Test func aReportFileNoRowTypeReadsIsAnErrorNamingIt() async throws {
        let queries = try queriesWith("zz_extra.sql", "-- A report nothing reads.\n-- parameters: now\nSELECT $1::timestamptz AS now;\n")
        let error = await #expect(throws: NightlyError.self) { try await run(try TestDatabase.create(), queries: queries) }
        #expect(error?.description.contains("no page or metric of this build reads queries/reports/zz_extra.sql") == true,
                "\(error?.description ?? "")")
    }

    @Test func aReportTwoFilesReturnIsAnErrorNamingBoth() async throws {
        let queries = try queriesWith(
            "zz_funnel.sql",
            "-- A second funnel.\n-- reports: analytics_funnel\n-- parameters: now\nSELECT 'analytics_funnel' AS report, 1::bigint AS carts WHERE $1::timestamptz IS NOT NULL;\n")
        let error = await #expect(throws: NightlyError.self) { try await run(try TestDatabase.create(), queries: queries) }
        #expect(error?.description.contains("the report analytics_funnel comes from both queries/reports/cart_figures.sql and queries/reports/zz_funnel.sql") == true,
                "\(error?.description ?? "")")
    }

    @Test func aMissingReportFileIsAnErrorNamingIt() async throws {
        let queries = try copiedQueries()
        try FileManager.default.removeItem(at: queries.appendingPathComponent("reports/cart_figures.sql"))
        let error = await #expect(throws: NightlyError.self) { try await run(try TestDatabase.create(), queries: queries.path) }
        #expect(error?.description.contains("the report overview_success_metrics is missing") == true, "\(error?.description ?? "")")
    }

    @Test func anEmptyDatabaseShowsNoDataInsteadOfFigures() async throws {
        let site = try await buildSite(try TestDatabase.create())
        let metrics = try csvRows(site, "overview-success-metrics").dropFirst()
        #expect(metrics.count == SuccessMetric.catalogue.count)
        #expect(metrics.allSatisfy { $0[2] == "no data" && $0[5] == "no data" })
        #expect(try csvRows(site, "overview-freshness").dropFirst().allSatisfy { $0[1] == "no data" && $0[3] == "stale" })
        let analytics = try siteFile(site, "analytics.html")
        #expect(try statValue(analytics, "Checkout completion time, median") == "no data")
        let reconciliation = try siteFile(site, "reconciliation.html")
        #expect(try statValue(reconciliation, "Reservation failure rate, last 24 h") == "no data")
        #expect(try csvRows(site, "analytics-funnel").dropFirst().map { $0[1] } == ["0", "0", "0", "0"])
        #expect(try csvRows(site, "reconciliation-error-orders").count == 1, "the header only")
    }
}

@Suite("The overview of a full run counts the passes of the same run")
struct FullRunOverviewTests {
    @Test func optimisticLockConflictsIncludeThisRunsStuckCartPass() async throws {
        let database = try TestDatabase.seeded(carts: 800, now: testNow)
        let site = try await buildSite(database, steps: StepList.names)
        let cleaned = try database.connect().queryFirst(
            "SELECT (counts ->> 'cleaned')::int + (counts ->> 'conflicts')::int AS attempted FROM checkout_nightly.step_runs WHERE step = 'stuck-carts'"
        ) { try $0.decode("attempted", as: Int.self) } ?? 0
        #expect(cleaned > 0, "the seed has stuck carts for the pass to clean")
        let row = try #require(try csvRows(site, "overview-success-metrics").first { $0[0] == "Optimistic-lock conflicts" })
        #expect(row[2] == Formatting.percent(0, digits: 2), "\(row)")
        #expect(row[3] == "0 of \(Formatting.integer(cleaned))")
    }
}
