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

/// One tick of an axis: where its grid line runs (an x for the value axis of a bar chart and the x axis of a
/// line chart, a y for a line chart's y axis) and where its label sits.
public struct AxisTick: Sendable {
    public var position: String
    public var labelX: String
    public var labelY: String
    public var label: String
    /// The label's `text-anchor`: the outermost labels of a line chart's x axis align inwards to stay visible.
    public var anchor = "middle"
}

/// A horizontal bar chart: one bar per category, labels on the left, values at the bar ends.
public struct BarChart: Sendable {
    public struct Bar: Sendable {
        /// The full label, in the bar's tooltip and accessible name.
        public var label: String
        /// The label as drawn, shortened to fit.
        public var shortLabel: String
        public var valueText: String
        public var y: String
        public var textY: String
        public var width: String
        public var valueX: String
    }

    public var id: String
    public var title: String
    public var description: String
    public var width = "640"
    public var height: String
    public var plotLeft: String
    public var plotRight: String
    public var plotTop: String
    public var axisY: String
    public var labelX: String
    public var titleY = "20"
    public var bars: [Bar]
    public var ticks: [AxisTick]
    public var valueAxisLabel: String
    public var valueAxisLabelX: String
    public var valueAxisLabelY: String
    public var categoryAxisLabel: String
    public var categoryAxisLabelY: String

    static let plotStart = 200.0, plotEnd = 560.0, top = 56.0, rowHeight = 28.0, barHeight = 18.0
    /// Category labels longer than this are cut with `…` beside the bar (the full label is in its tooltip).
    static let maxLabelLength = 26

    /// - Parameters:
    ///   - values: one `(label, value)` per bar, drawn top to bottom.
    ///   - format: how values and tick labels are written.
    public init(
        id: String, title: String, description: String, categoryAxisLabel: String, valueAxisLabel: String,
        values: [(label: String, value: Double)], wholeNumbers: Bool = true, format: (Double) -> String
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.categoryAxisLabel = categoryAxisLabel
        self.valueAxisLabel = valueAxisLabel
        let scale = ChartScale.niceBound(values.map(\.value).max() ?? 0, wholeNumbers: wholeNumbers)
        let span = Self.plotEnd - Self.plotStart
        let axis = Self.top + Double(values.count) * Self.rowHeight + 4
        bars = values.enumerated().map { index, item in
            let y = Self.top + Double(index) * Self.rowHeight
            let length = max(0, item.value) / scale.bound * span
            return Bar(
                label: item.label,
                shortLabel: TextLimit.truncate(item.label, to: Self.maxLabelLength),
                valueText: format(item.value), y: ChartScale.coordinate(y),
                textY: ChartScale.coordinate(y + Self.barHeight - 4), width: ChartScale.coordinate(length),
                valueX: ChartScale.coordinate(Self.plotStart + length + 6))
        }
        ticks = (0...4).map { step in
            let x = ChartScale.coordinate(Self.plotStart + Double(step) * scale.step / scale.bound * span)
            return AxisTick(position: x, labelX: x, labelY: ChartScale.coordinate(axis + 18), label: format(Double(step) * scale.step))
        }
        height = ChartScale.coordinate(axis + 58)
        plotLeft = ChartScale.coordinate(Self.plotStart)
        plotRight = ChartScale.coordinate(Self.plotEnd)
        plotTop = ChartScale.coordinate(Self.top - 6)
        axisY = ChartScale.coordinate(axis)
        labelX = ChartScale.coordinate(Self.plotStart - 8)
        valueAxisLabelX = ChartScale.coordinate((Self.plotStart + Self.plotEnd) / 2)
        valueAxisLabelY = ChartScale.coordinate(axis + 44)
        categoryAxisLabelY = ChartScale.coordinate(Self.top - 12)
    }
}

/// A line chart over evenly spaced points (days, runs), with one or more series, an optional reference line
/// (a target) and a legend.
public struct LineChart: Sendable {
    public struct Point: Sendable {
        public var x: String
        public var y: String
        /// `label: value`, the point's tooltip.
        public var title: String
    }

    public struct Series: Sendable {
        public var name: String
        /// `series-1`, `series-2`: the CSS class that colours it.
        public var styleClass: String
        /// The polyline's `points` attribute.
        public var path: String
        public var points: [Point]
        /// Where the legend's colour swatch and name sit.
        public var swatchX: String
        public var legendX: String
    }

    public struct Reference: Sendable {
        public var label: String
        public var y: String
        public var labelY: String
    }

    public var id: String
    public var title: String
    public var description: String
    public var width = "640"
    public var height = "300"
    public var titleY = "20"
    public var plotLeft: String
    public var plotRight: String
    public var plotTop: String
    public var plotBottom: String
    public var series: [Series]
    public var xTicks: [AxisTick]
    public var yTicks: [AxisTick]
    public var reference: Reference?
    public var xAxisLabel: String
    public var yAxisLabel: String
    public var xAxisLabelX: String
    public var xAxisLabelY = "292"
    /// The y axis label is drawn rotated by −90°, so its x is minus the vertical centre of the plot.
    public var yAxisLabelX: String
    public var tickEndY: String

    static let left = 72.0, right = 616.0, top = 52.0, bottom = 236.0

    /// - Parameters:
    ///   - labels: the x position labels, one per point, oldest first.
    ///   - series: each series' name and one value per label.
    ///   - reference: a horizontal line such as a target, with its label.
    public init(
        id: String, title: String, description: String, xAxisLabel: String, yAxisLabel: String, labels: [String],
        series: [(name: String, values: [Double])], reference: (label: String, value: Double)? = nil,
        wholeNumbers: Bool = true, format: (Double) -> String
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.xAxisLabel = xAxisLabel
        self.yAxisLabel = yAxisLabel
        let highest = (series.flatMap(\.values) + [reference?.value ?? 0]).max() ?? 0
        let scale = ChartScale.niceBound(highest, wholeNumbers: wholeNumbers)
        let count = labels.count
        func x(_ index: Int) -> Double {
            count > 1 ? Self.left + Double(index) / Double(count - 1) * (Self.right - Self.left) : (Self.left + Self.right) / 2
        }
        func y(_ value: Double) -> Double { Self.bottom - max(0, value) / scale.bound * (Self.bottom - Self.top) }
        self.series = series.enumerated().map { number, line in
            let points = zip(labels, line.values).enumerated().map { index, pair in
                Point(
                    x: ChartScale.coordinate(x(index)), y: ChartScale.coordinate(y(pair.1)),
                    title: "\(pair.0): \(format(pair.1))")
            }
            return Series(
                name: line.name, styleClass: "series-\(number % 3 + 1)",
                path: points.map { "\($0.x),\($0.y)" }.joined(separator: " "), points: points,
                swatchX: ChartScale.coordinate(Self.left + Double(number) * 180),
                legendX: ChartScale.coordinate(Self.left + Double(number) * 180 + 16))
        }
        let tickCount = min(count, 6)
        let tickIndices = tickCount > 1
            ? (0..<tickCount).map { Int((Double($0) / Double(tickCount - 1) * Double(count - 1)).rounded()) }
            : (count == 1 ? [0] : [])
        xTicks = tickIndices.map {
            let position = ChartScale.coordinate(x($0))
            return AxisTick(
                position: position, labelX: position, labelY: ChartScale.coordinate(Self.bottom + 18), label: labels[$0],
                anchor: count == 1 ? "middle" : $0 == 0 ? "start" : $0 == count - 1 ? "end" : "middle")
        }
        yTicks = (0...4).map { step in
            let value = Double(step) * scale.step
            return AxisTick(
                position: ChartScale.coordinate(y(value)), labelX: ChartScale.coordinate(Self.left - 8),
                labelY: ChartScale.coordinate(y(value) + 4), label: format(value))
        }
        self.reference = reference.map {
            Reference(label: $0.label, y: ChartScale.coordinate(y($0.value)), labelY: ChartScale.coordinate(y($0.value) - 4))
        }
        plotLeft = ChartScale.coordinate(Self.left)
        plotRight = ChartScale.coordinate(Self.right)
        plotTop = ChartScale.coordinate(Self.top)
        plotBottom = ChartScale.coordinate(Self.bottom)
        xAxisLabelX = ChartScale.coordinate((Self.left + Self.right) / 2)
        yAxisLabelX = ChartScale.coordinate(-(Self.top + Self.bottom) / 2)
        tickEndY = ChartScale.coordinate(Self.bottom + 5)
    }
}

/// A chart with its data table beside it.
public struct Figure: Sendable {
    public var bar: BarChart?
    public var line: LineChart?
    public var table: DataTable

    public init(bar: BarChart, table: DataTable) {
        self.bar = bar
        self.table = table
    }

    public init(line: LineChart, table: DataTable) {
        self.line = line
        self.table = table
    }
}
