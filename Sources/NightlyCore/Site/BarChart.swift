import Foundation

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
