import Foundation

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
