import Foundation

/// Geometry for the site's inline SVG charts, computed at build time. The templates draw it; every label goes
/// through Mustache escaping. Coordinates are pre-formatted strings so the templates stay free of logic.
public enum ChartScale {
    /// A round upper bound for an axis over `maximum`, split into `intervals` equal steps of 1, 2, 2.5 or 5 × 10ⁿ
    /// (whole steps when `wholeNumbers`). Returns the bound and the step.
    public static func niceBound(_ maximum: Double, intervals: Int = 4, wholeNumbers: Bool = false) -> (bound: Double, step: Double) {
        let raw = max(maximum, 0) / Double(intervals)
        guard raw > 0, raw.isFinite else { return (Double(intervals) * (wholeNumbers ? 1 : 0.25), wholeNumbers ? 1 : 0.25) }
        let magnitude = pow(10, floor(log10(raw)))
        var step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * magnitude
        if wholeNumbers { step = max(1, step.rounded(.up)) }
        return (step * Double(intervals), step)
    }

    static func coordinate(_ value: Double) -> String { String(format: "%.1f", value) }
}
