import Foundation

/// The cart analytics page's holdout section: per stage and for all stages, the conversion rate of messaged carts
/// against held-out carts and the lift with its 95 % interval (`RecoveryLift`); per currency, the return on
/// recovery (`RecoveryReturn`). Below the minimum it says "too few carts to tell" instead of a number.
public struct RecoveryLiftSection: Sendable {
    /// One stage's comparison (`all` for all stages, counted by distinct carts).
    public struct Stage: Sendable, Equatable {
        public var stage: String
        public var lift: RecoveryLift

        public init(stage: String, lift: RecoveryLift) {
            self.stage = stage
            self.lift = lift
        }
    }

    public static let tooFew = "too few carts to tell"

    /// The lift over all stages in a sentence, or why there is none.
    public var headline: String
    public var lift: DataTable
    public var returns: DataTable

    public init(stages: [Stage], returns money: [RecoveryReturn], windowDays: Int) {
        let minimum = RecoveryLift.minimumCarts
        let all = stages.first { $0.stage == "all" }?.lift
        headline = all.flatMap { lift in
            lift.estimate().map {
                "Messaged carts converted \(Self.rate(lift.messaged)), held-out carts \(Self.rate(lift.heldOut)): a lift of \(Self.points($0.lift)) (95 % interval \(Self.points($0.lower)) to \(Self.points($0.upper)))."
            }
        } ?? "The lift needs at least \(minimum) messaged and \(minimum) held-out carts in the window: \(Self.tooFew) yet."
        lift = DataTable(
            id: "analytics-recovery-lift",
            caption: "Conversion of messaged and held-out carts, rows recorded in the last \(windowDays) days",
            columns: [TableColumn("Stage"), TableColumn("Messaged carts", numeric: true), TableColumn("Converted", numeric: true),
                      TableColumn("Conversion rate", numeric: true), TableColumn("Held-out carts", numeric: true),
                      TableColumn("Converted", numeric: true), TableColumn("Conversion rate", numeric: true),
                      TableColumn("Lift", numeric: true), TableColumn("95 % interval", numeric: true)],
            rows: stages.map { row in
                let estimate = row.lift.estimate()
                return [TableCell(row.stage == "all" ? "all stages" : row.stage),
                        TableCell(Formatting.integer(row.lift.messaged.carts)),
                        TableCell(Formatting.integer(row.lift.messaged.converted)), TableCell(Self.rate(row.lift.messaged)),
                        TableCell(Formatting.integer(row.lift.heldOut.carts)),
                        TableCell(Formatting.integer(row.lift.heldOut.converted)), TableCell(Self.rate(row.lift.heldOut)),
                        TableCell(estimate.map { Self.points($0.lift) } ?? Self.tooFew),
                        TableCell(estimate.map { "\(Self.points($0.lower)) to \(Self.points($0.upper))" } ?? "—")]
            }, emptyText: "No recovery message or held-out cart in the window.")
        returns = DataTable(
            id: "analytics-recovery-return",
            caption: "Return on recovery per currency, rows recorded in the last \(windowDays) days",
            columns: [TableColumn("Currency"), TableColumn("Messaged carts", numeric: true),
                      TableColumn("Recovered revenue", numeric: true), TableColumn("Discount given", numeric: true),
                      TableColumn("Held-out carts", numeric: true), TableColumn("Revenue per held-out cart", numeric: true),
                      TableColumn("Incremental revenue", numeric: true)],
            rows: money.map { row in
                [TableCell(row.currency), TableCell(Formatting.integer(row.messagedCarts)),
                 TableCell(Formatting.amount(row.recoveredRevenue, currency: row.currency)),
                 TableCell(Formatting.amount(row.discountGiven, currency: row.currency)),
                 TableCell(Formatting.integer(row.heldOutCarts)),
                 TableCell(row.heldOutCarts > 0
                     ? Formatting.amount(row.heldOutRevenue / Decimal(row.heldOutCarts), currency: row.currency) : "—"),
                 TableCell(row.incrementalRevenue().map { Formatting.amount($0, currency: row.currency) } ?? Self.tooFew)]
            }, emptyText: "No recovery message or held-out cart in the window.")
    }

    public var tables: [DataTable] { [lift, returns] }

    /// A group's conversion rate, or "—" without carts.
    private static func rate(_ group: ConversionGroup) -> String {
        group.rate.map { Formatting.percent($0) } ?? "—"
    }

    /// A difference of rates in percentage points, signed: "+4.2 pp", "−1.0 pp".
    static func points(_ difference: Double) -> String {
        let value = (difference * 1000).rounded() / 10
        return (value > 0 ? "+" : value < 0 ? "−" : "") + String(format: "%.1f pp", abs(value))
    }
}
