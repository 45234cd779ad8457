import Foundation

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
