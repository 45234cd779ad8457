import Foundation

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
