import Foundation
import NightlyCore
import Testing

@Suite("Recovery lift: Newcombe's interval, the minimum, incremental revenue")
struct RecoveryLiftTests {
    /// (messaged converted, messaged carts, held-out converted, held-out carts, lift, lower, upper): the eight
    /// examples of Newcombe (1998), Table II, method 10, to four decimals.
    static let newcombe: [(Int, Int, Int, Int, Double, Double, Double)] = [
        (56, 70, 48, 80, 0.2000, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.6000, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.5714, 0.0582, 0.8062),
        (5, 56, 0, 29, 0.0893, -0.0381, 0.1926),
        (0, 10, 0, 20, 0.0000, -0.1611, 0.2775),
        (0, 10, 0, 10, 0.0000, -0.2775, 0.2775),
        (10, 10, 0, 20, 1.0000, 0.6791, 1.0000),
        (10, 10, 0, 10, 1.0000, 0.6075, 1.0000),
    ]

    @Test(arguments: newcombe)
    func theIntervalMatchesNewcombesTable(
        _ x1: Int, _ n1: Int, _ x0: Int, _ n0: Int, _ lift: Double, _ lower: Double, _ upper: Double
    ) throws {
        let estimate = try #require(
            RecoveryLift(messaged: .init(carts: n1, converted: x1), heldOut: .init(carts: n0, converted: x0))
                .estimate(minimum: 1))
        #expect(abs(estimate.lift - lift) < 0.00005)
        #expect(abs(estimate.lower - lower) < 0.00005, "lower \(estimate.lower)")
        #expect(abs(estimate.upper - upper) < 0.00005, "upper \(estimate.upper)")
    }

    /// (messaged carts, held-out carts, measurable): at least 30 in each group.
    static let minimum: [(Int, Int, Bool)] = [
        (30, 30, true), (29, 30, false), (30, 29, false), (5000, 29, false), (5000, 30, true), (0, 0, false),
    ]

    @Test(arguments: minimum)
    func belowThirtyCartsInAGroupThereIsNoNumber(_ messaged: Int, _ heldOut: Int, _ measurable: Bool) {
        let lift = RecoveryLift(
            messaged: .init(carts: messaged, converted: messaged / 5), heldOut: .init(carts: heldOut, converted: heldOut / 10))
        #expect(lift.isMeasurable() == measurable)
        #expect((lift.estimate() != nil) == measurable)
    }

    /// (messaged carts, recovered, held-out carts, held-out revenue, incremental): recovered minus what as many
    /// carts bring without a message; nil below the minimum in this currency.
    static let returns: [(Int, Decimal, Int, Decimal, Decimal?)] = [
        (100, 1000, 50, 250, 500),
        (90, 1000, 30, 100, 700),
        (100, 100, 40, 400, -900),
        (31, 10, 30, 10, Decimal(string: "-0.33")),
        (100, 1000, 29, 0, nil),
        (29, 1000, 100, 0, nil),
    ]

    @Test(arguments: returns)
    func incrementalRevenueComparesRevenuePerCart(
        _ messaged: Int, _ recovered: Decimal, _ heldOut: Int, _ heldOutRevenue: Decimal, _ incremental: Decimal?
    ) {
        let money = RecoveryReturn(
            currency: "EUR", messagedCarts: messaged, recoveredRevenue: recovered, discountGiven: 12,
            heldOutCarts: heldOut, heldOutRevenue: heldOutRevenue)
        #expect(money.incrementalRevenue() == incremental)
    }

    /// The page's section: numbers where both groups are large enough, "too few carts to tell" where not, and
    /// money per currency, never summed.
    @Test func theSectionShowsTheLiftOrSaysThereAreTooFewCarts() {
        let section = RecoveryLiftSection(
            stages: [
                .init(stage: "first_email", lift: RecoveryLift(messaged: .init(carts: 70, converted: 56), heldOut: .init(carts: 80, converted: 48))),
                .init(stage: "push", lift: RecoveryLift(messaged: .init(carts: 40, converted: 4), heldOut: .init(carts: 29, converted: 1))),
                .init(stage: "all", lift: RecoveryLift(messaged: .init(carts: 70, converted: 56), heldOut: .init(carts: 80, converted: 48))),
            ],
            returns: [
                RecoveryReturn(currency: "EUR", messagedCarts: 100, recoveredRevenue: 1000, discountGiven: 50, heldOutCarts: 50, heldOutRevenue: 250),
                RecoveryReturn(currency: "JPY", messagedCarts: 100, recoveredRevenue: 90000, discountGiven: 5000, heldOutCarts: 3, heldOutRevenue: 0),
            ],
            windowDays: 30)
        let lift = section.lift.csvRecords
        #expect(lift[1].suffix(2) == ["+20.0 pp", "+5.2 pp to +33.4 pp"])
        #expect(lift[2].suffix(2) == ["too few carts to tell", "—"])
        #expect(lift[3].first == "all stages")
        #expect(section.headline.contains("a lift of +20.0 pp (95 % interval +5.2 pp to +33.4 pp)"), "\(section.headline)")
        let money = section.returns.csvRecords
        #expect(money[1].last == Formatting.amount(500, currency: "EUR"))
        #expect(money[2].last == "too few carts to tell")
        let none = RecoveryLiftSection(stages: [], returns: [], windowDays: 30)
        #expect(none.headline.contains("too few carts to tell"))
    }
}
