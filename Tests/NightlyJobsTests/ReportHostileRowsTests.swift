import Foundation
import NightlyCore
import Postgres
import Testing
import TestSupport

/// Production tables may hold NULL where the contract names no `null` (DESIGN.md §2). Such a row is left out of the
/// one report that needs the value, or shown with what is known of it; it never fails the reports step, the
/// recovery pass or the publishing of the site.
@Suite("Reports: NULLs in the order service's data")
struct ReportHostileRowsTests {
    /// One NULL, where it lands, and what the site shows of it.
    enum NullCase: String, CaseIterable, Sendable {
        case cartCurrency, itemQuantityOfTheOnlyCartInItsCurrency, abandonedItemProductName, abandonedItemProductID
        case errorOrderNumber, errorOrderTotal, errorOrderCurrency, convertedOrderCurrency
    }

    @Test(arguments: NullCase.allCases)
    func oneNullNeverStopsTheRunOrTheSite(_ nullCase: NullCase) async throws {
        let shop = try Fixtures()
        let customer = try shop.customer()
        try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-3 * 86400), items: [CartItem("Teapot", productID: "teapot")])
        let order = try shop.orderWithReservationErrors("ORD-NULLS", createdAt: testNow.addingTimeInterval(-3600), reservations: ["r-1"])
        func null(_ table: String, _ column: String, where condition: String, _ parameters: [any PostgresEncodable] = []) throws {
            try shop.execute("ALTER TABLE \(table) ALTER COLUMN \(column) DROP NOT NULL")
            try shop.execute("UPDATE \(table) SET \(column) = NULL WHERE \(condition)", parameters)
        }
        switch nullCase {
        case .cartCurrency:
            let cart = try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-2 * 86400))
            try null("cart_sessions", "currency", where: "id = $1::uuid", [cart])
        case .itemQuantityOfTheOnlyCartInItsCurrency:
            let cart = try shop.cart(of: customer, lastActivity: testNow.addingTimeInterval(-2 * 86400), currency: "CHF")
            try null("cart_items", "quantity", where: "cart_session_id = $1::uuid", [cart])
        case .abandonedItemProductName:
            try null("cart_items", "product_name", where: "product_id = 'teapot'")
        case .abandonedItemProductID:
            try null("cart_items", "product_id", where: "product_id = 'teapot'")
        case .errorOrderNumber:
            try null("orders", "order_number", where: "id = $1::uuid", [order])
        case .errorOrderTotal:
            try null("orders", "total_amount", where: "id = $1::uuid", [order])
        case .errorOrderCurrency:
            try null("orders", "currency", where: "id = $1::uuid", [order])
        case .convertedOrderCurrency:
            try shop.recoveryMessage(.firstEmail, hoursAgo: 30, clicked: true, converted: (total: 95, currency: "USD", percent: 5))
            try shop.recoveryMessage(.firstEmail, hoursAgo: 20, clicked: true, converted: (total: 40, currency: "USD", percent: 5))
            try null("orders", "currency", where: "total_amount = 95")
        }

        let site = try await buildSite(shop.database, steps: [.recovery, .reports])

        let outcomes = try shop.connection.query(
            SQLStatement("SELECT step, outcome, counts ->> 'rows_skipped' AS skipped FROM checkout_nightly.step_runs ORDER BY step", source: "test")
        ) { "\(try $0.decode("step", as: String.self)) \(try $0.decode("outcome", as: String.self)) \(try $0.decodeIfPresent("skipped", as: String.self) ?? "-")" }
        let skipped = switch nullCase {
        case .cartCurrency, .abandonedItemProductID: 1
        // Its currency's average value, and its product's units among the abandoned products.
        case .itemQuantityOfTheOnlyCartInItsCurrency: 2
        default: 0
        }
        #expect(outcomes == ["publish succeeded -", "recovery succeeded -", "reports succeeded \(skipped)"])

        let analytics = try csvRows(site, "analytics-abandoned-products").dropFirst()
        let errorOrders = try csvRows(site, "reconciliation-error-orders").dropFirst()
        let revenue = try csvRows(site, "analytics-recovery-revenue").dropFirst()
        switch nullCase {
        case .cartCurrency, .itemQuantityOfTheOnlyCartInItsCurrency:
            let currencies = try csvRows(site, "analytics-cart-value").dropFirst().map { $0[0] }
            #expect(currencies == ["USD"], "the carts of an unknown currency or without an amount have no average")
        case .abandonedItemProductName:
            #expect(analytics.map { $0.prefix(2).joined(separator: "|") } == ["no name|teapot"])
        case .abandonedItemProductID:
            #expect(analytics.isEmpty)
        case .errorOrderNumber:
            #expect(errorOrders.map(\.[0]) == ["id \(order.uuidString.lowercased())"])
        case .errorOrderTotal:
            #expect(errorOrders.map { "\($0[0]) \($0[2])" } == ["ORD-NULLS unknown"])
        case .errorOrderCurrency:
            #expect(errorOrders.map { "\($0[0]) \($0[2])" } == ["ORD-NULLS 42.50 (no currency)"])
        case .convertedOrderCurrency:
            #expect(revenue.map { $0.prefix(4).joined(separator: "|") } == ["first_email|USD|1|40.00 USD"],
                    "the order without a currency has no amount to add")
        }
    }
}
