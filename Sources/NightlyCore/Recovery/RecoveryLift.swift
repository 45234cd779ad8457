import Foundation

/// How many of a group of carts converted (an order credited within the attribution window).
public struct ConversionGroup: Sendable, Equatable {
    public var carts: Int
    public var converted: Int

    public init(carts: Int, converted: Int) {
        self.carts = carts
        self.converted = converted
    }

    /// The conversion rate, nil without carts.
    public var rate: Double? { carts > 0 ? Double(converted) / Double(carts) : nil }

    /// The Wilson score interval of the rate at `z` (Newcombe's method 3), which stays inside [0, 1] and
    /// behaves at 0 and at every cart converted, where the Wald interval collapses to a point.
    func wilson(z: Double) -> (lower: Double, upper: Double) {
        let n = Double(carts)
        let p = Double(converted) / n
        let centre = p + z * z / (2 * n)
        let spread = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        let scale = 1 + z * z / n
        return (max(0, (centre - spread) / scale), min(1, (centre + spread) / scale))
    }
}

/// The lift of recovery messages: the conversion rate of messaged carts minus that of held-out carts
/// (`recovery_holdout_percent`), with its 95 % confidence interval by Newcombe's hybrid score method (method 10 of
/// Newcombe, "Interval estimation for the difference between independent proportions", Statistics in Medicine
/// 17, 1998): it combines the two groups' Wilson intervals, keeps within [−1, 1] and holds its coverage with the
/// small held-out groups a 5 % holdout gives, where the simple Wald interval is too narrow. Below
/// `minimumCarts` in either group the page says "too few carts to tell" instead of a number.
public struct RecoveryLift: Sendable, Equatable {
    /// Carts each group needs before a lift is shown.
    public static let minimumCarts = 30
    /// The standard normal quantile of a two-sided 95 % interval.
    public static let z95 = 1.959963984540054

    /// The difference of the rates and its interval, as fractions (0.05 is 5 percentage points).
    public struct Estimate: Sendable, Equatable {
        public var lift: Double
        public var lower: Double
        public var upper: Double
    }

    public var messaged: ConversionGroup
    public var heldOut: ConversionGroup

    public init(messaged: ConversionGroup, heldOut: ConversionGroup) {
        self.messaged = messaged
        self.heldOut = heldOut
    }

    /// Whether both groups have at least `minimum` carts.
    public func isMeasurable(minimum: Int = minimumCarts) -> Bool {
        messaged.carts >= minimum && heldOut.carts >= minimum
    }

    /// The lift with its 95 % interval; nil with too few carts.
    public func estimate(minimum: Int = minimumCarts) -> Estimate? {
        guard isMeasurable(minimum: minimum), let p1 = messaged.rate, let p0 = heldOut.rate else { return nil }
        let (l1, u1) = messaged.wilson(z: Self.z95)
        let (l0, u0) = heldOut.wilson(z: Self.z95)
        let lift = p1 - p0
        return Estimate(
            lift: lift,
            lower: lift - ((p1 - l1) * (p1 - l1) + (u0 - p0) * (u0 - p0)).squareRoot(),
            upper: lift + ((u1 - p1) * (u1 - p1) + (p0 - l0) * (p0 - l0)).squareRoot())
    }
}

/// One currency's return on recovery (never summed across currencies): the revenue credited to messages, the
/// discount their codes gave, and the incremental revenue, what the messaged carts brought beyond what the same
/// number of carts brought without a message (the held-out carts' revenue per cart).
public struct RecoveryReturn: Sendable, Equatable {
    public var currency: String
    public var messagedCarts: Int
    /// Totals of the orders credited to messages.
    public var recoveredRevenue: Decimal
    /// Discount given on orders that used a recovery code.
    public var discountGiven: Decimal
    public var heldOutCarts: Int
    /// Totals of the orders credited to held-out rows.
    public var heldOutRevenue: Decimal

    public init(
        currency: String, messagedCarts: Int, recoveredRevenue: Decimal, discountGiven: Decimal, heldOutCarts: Int,
        heldOutRevenue: Decimal
    ) {
        self.currency = currency
        self.messagedCarts = messagedCarts
        self.recoveredRevenue = recoveredRevenue
        self.discountGiven = discountGiven
        self.heldOutCarts = heldOutCarts
        self.heldOutRevenue = heldOutRevenue
    }

    /// recovered revenue − messaged carts × held-out revenue per held-out cart, rounded to cents; nil when either
    /// group has fewer than `minimum` carts in this currency.
    public func incrementalRevenue(minimum: Int = RecoveryLift.minimumCarts) -> Decimal? {
        guard messagedCarts >= minimum, heldOutCarts >= minimum, heldOutCarts > 0 else { return nil }
        var expected = heldOutRevenue * Decimal(messagedCarts) / Decimal(heldOutCarts)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &expected, 2, .plain)
        return recoveredRevenue - rounded
    }
}
