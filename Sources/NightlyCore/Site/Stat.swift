import Foundation

/// A headline figure: a label, its value, a sentence of detail.
public struct Stat: Sendable {
    public var label: String
    public var value: String
    public var detail: String
    public var tone: String

    public init(label: String, value: String, detail: String = "", tone: Tone? = nil) {
        self.label = label
        self.value = value
        self.detail = detail
        self.tone = tone?.rawValue ?? ""
    }
}
