import Foundation

/// A column heading; numeric columns are right-aligned, code columns (discount codes and the like) monospaced.
public struct TableColumn: Sendable, Equatable {
    public var title: String
    public var numeric: Bool
    public var code: Bool

    public init(_ title: String, numeric: Bool = false, code: Bool = false) {
        self.title = title
        self.numeric = numeric
        self.code = code
    }
}
