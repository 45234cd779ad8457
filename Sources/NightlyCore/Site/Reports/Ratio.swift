/// A share, `part` of `whole`, as the reports compute every rate: no value when `whole` is 0, so a page says
/// "no data" and a metric leaves the sample out, rather than showing NaN or an invented 0 %.
public struct Ratio: Sendable, Equatable {
    public var part: Int
    public var whole: Int

    public init(_ part: Int, of whole: Int) {
        self.part = part
        self.whole = whole
    }

    /// `part / whole`, or nil when `whole` is 0.
    public var value: Double? { whole > 0 ? Double(part) / Double(whole) : nil }

    /// What a page shows when there is no value.
    public static let noData = "no data"

    /// `12.3 %` (`digits` decimals), or "no data".
    public func percentText(digits: Int = 1) -> String {
        value.map { Formatting.percent($0, digits: digits) } ?? Self.noData
    }
}
