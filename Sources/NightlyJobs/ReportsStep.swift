import Foundation
import NightlyCore
import Postgres

/// The reports step: runs the read-only report queries against the report database.
public struct ReportsStep: NightlyStep {
    public let name = StepName.reports
    public let changesData = false

    public init() {}

    public func run(_ context: RunContext) throws -> StepResult {
        let freshness = try context.reportConnection.queryFirst(
            try context.queries.statement("reports/freshness.sql"), [context.now]
        ) { row in
            (
                cartActivity: try row.decodeIfPresent("newest_cart_activity", as: Date.self),
                order: try row.decodeIfPresent("newest_order", as: Date.self),
                carts: try row.decode("carts", as: Int.self),
                orders: try row.decode("orders", as: Int.self)
            )
        }
        guard let freshness else { return StepResult(outcome: .failed) }
        context.output.freshness = [
            (label: "Newest cart activity", date: freshness.cartActivity),
            (label: "Newest order", date: freshness.order),
        ]
        return StepResult(counts: ["carts": freshness.carts, "orders": freshness.orders])
    }
}
