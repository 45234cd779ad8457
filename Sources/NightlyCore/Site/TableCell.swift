import Foundation

/// One cell of a table: its text (escaped when rendered), an optional tone, and for cells that point at files
/// the links shown instead of the text or a preview frame shown after it.
public struct TableCell: Sendable, Equatable, ExpressibleByStringLiteral {
    /// A link to a file of the published output, relative to the page (view models make them).
    public struct Link: Sendable, Equatable {
        public var label: String
        public var href: String
    }

    /// An HTML file shown in a collapsed, sandboxed frame (view models make them).
    public struct Frame: Sendable, Equatable {
        public var src: String
        public var title: String
    }

    /// What the CSV holds, and the page shows unless the cell has links.
    public var text: String
    public var tone: String
    public var links: [Link]
    public var frame: Frame?

    public init(_ text: String, tone: Tone? = nil, frame: Frame? = nil) {
        self.text = text
        self.tone = tone?.rawValue ?? ""
        links = []
        self.frame = frame
    }

    /// A cell of links; its CSV field lists their targets.
    public init(links: [Link]) {
        self.init(links.map(\.href).joined(separator: " "))
        self.links = links
    }

    public init(stringLiteral text: String) { self.init(text) }
}
