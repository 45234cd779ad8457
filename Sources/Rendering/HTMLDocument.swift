import CLibXML2

/// An HTML document parsed by libxml2's forgiving HTML parser: the project's one wrapper around libxml2.
public final class HTMLDocument {
    private let document: xmlDocPtr

    /// Parses `html` as UTF-8, never touching the network. Throws when libxml2 cannot build a tree at all.
    public init(html: String) throws {
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue)
        var html = html
        let parsed = html.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                guard let start = characters.baseAddress else {
                    return htmlReadMemory("", 0, "document.html", "UTF-8", options)
                }
                return htmlReadMemory(start, Int32(characters.count), "document.html", "UTF-8", options)
            }
        }
        guard let parsed else { throw HTMLDocumentError(message: "libxml2 could not parse the HTML document") }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    /// Every `href` and `src` attribute value in document order.
    public var references: [String] {
        var found: [String] = []
        walk(xmlDocGetRootElement(document)) { node in
            for attribute in ["href", "src"] {
                if let value = Self.attribute(node, attribute) { found.append(value) }
            }
        }
        return found
    }

    /// The text content of every element named `name` (lowercase), in document order.
    public func texts(of name: String) -> [String] {
        var found: [String] = []
        walk(xmlDocGetRootElement(document)) { node in
            if Self.name(of: node) == name { found.append(Self.content(of: node)) }
        }
        return found
    }

    /// A plain-text rendering for e-mail text parts and previews: block elements on their own lines, list items
    /// as `- item`, data-table cells separated by ` | ` (cells of layout tables, `role="presentation"`, on lines
    /// of their own), links as `text <url>`; scripts, styles, hidden elements (`display:none`, `hidden`) and
    /// elements hidden from assistive technology (`aria-hidden="true"`) dropped.
    public var plainText: String {
        var writer = PlainTextWriter()
        if let body = findBody() ?? xmlDocGetRootElement(document) { writer.write(body) }
        return writer.finish()
    }

    // MARK: Tree helpers

    private func findBody() -> xmlNodePtr? {
        var body: xmlNodePtr?
        walk(xmlDocGetRootElement(document)) { node in
            if body == nil, Self.name(of: node) == "body" { body = node }
        }
        return body
    }

    private func walk(_ node: xmlNodePtr?, _ visit: (xmlNodePtr) -> Void) {
        var current = node
        while let element = current {
            if element.pointee.type == XML_ELEMENT_NODE {
                visit(element)
                walk(element.pointee.children, visit)
            }
            current = element.pointee.next
        }
    }

    static func name(of node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name).lowercased()
    }

    static func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { CLibXML2_free(value) }
        return String(cString: value)
    }

    /// Calls `body` with the UTF-8 bytes of attribute `name`'s value (valid during the call only), or returns nil
    /// when the element has no such attribute. The value is read in place when it is one text node.
    static func withAttribute<Value>(
        _ node: xmlNodePtr, _ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Value
    ) -> Value? {
        guard let attribute = xmlHasProp(node, name) else { return nil }
        if let text = attribute.pointee.children, text.pointee.next == nil, text.pointee.type == XML_TEXT_NODE,
            let content = text.pointee.content
        {
            return body(UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
        }
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { CLibXML2_free(value) }
        return body(UnsafeBufferPointer(start: value, count: Int(xmlStrlen(value))))
    }

    /// Whether attribute `name` is present with exactly the value `expected`.
    static func attribute(_ node: xmlNodePtr, _ name: String, equals expected: String) -> Bool {
        withAttribute(node, name) { $0.elementsEqual(expected.utf8) } ?? false
    }

    static func content(of node: xmlNodePtr) -> String {
        guard let value = xmlNodeGetContent(node) else { return "" }
        defer { CLibXML2_free(value) }
        return String(cString: value)
    }
}

/// An HTML document that libxml2 could not parse.
public struct HTMLDocumentError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Turns an HTML tree into readable plain text. Works on UTF-8 bytes straight from libxml2's nodes: no string is
/// made per node, and no attribute value is copied.
private struct PlainTextWriter {
    private var output: [UInt8] = []
    private var pendingNewlines = 0
    private var listDepth = 0
    /// For each open table, whether it is a layout table (`role="presentation"`) rather than a data table.
    private var layoutTables: [Bool] = []

    private static let blocks: Set<String> = [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol", "li", "section", "header",
        "footer", "article", "blockquote", "pre", "hr", "center",
    ]
    private static let skipped: Set<String> = ["script", "style", "head", "title", "template", "noscript"]
    private static let space = UInt8(ascii: " ")
    private static let newline = UInt8(ascii: "\n")

    init() { output.reserveCapacity(4096) }

    mutating func write(_ node: xmlNodePtr) {
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    appendText(UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                }
            case XML_ELEMENT_NODE:
                writeElement(current)
            default:
                break
            }
            child = current.pointee.next
        }
    }

    private mutating func writeElement(_ element: xmlNodePtr) {
        let name = HTMLDocument.name(of: element)
        if Self.skipped.contains(name) { return }
        if xmlHasProp(element, "hidden") != nil { return }
        if HTMLDocument.attribute(element, "aria-hidden", equals: "true") { return }
        if HTMLDocument.withAttribute(element, "style", Self.hidesElement) == true {
            return  // preheaders and other hidden helpers
        }
        switch name {
        case "br":
            newline(1)
        case "img":
            if let alt = HTMLDocument.withAttribute(element, "alt", { Array($0) }), !alt.isEmpty {
                appendText([UInt8(ascii: "[")] + alt + [UInt8(ascii: "]")])
            }
        case "a":
            let before = output.count
            write(element)
            let linkText = Self.trimmingHorizontalSpace(output[min(before, output.count)...])
            if let href = HTMLDocument.withAttribute(element, "href", { Array($0) }), !href.isEmpty,
                !href.elementsEqual(linkText), href.first != UInt8(ascii: "#")
            {
                appendText(linkText.isEmpty ? href : Array(" <".utf8) + href + [UInt8(ascii: ">")])
            }
        case "li":
            newline(1)
            appendRaw(Array(String(repeating: "  ", count: max(0, listDepth - 1)).utf8) + Array("- ".utf8))
            write(element)
            newline(1)
        case "ul", "ol":
            listDepth += 1
            newline(listDepth == 1 ? 2 : 1)
            write(element)
            listDepth -= 1
            newline(listDepth == 0 ? 2 : 1)
        case "table":
            layoutTables.append(HTMLDocument.attribute(element, "role", equals: "presentation"))
            newline(1)
            write(element)
            newline(1)
            layoutTables.removeLast()
        case "td", "th":
            if layoutTables.last == true {
                newline(1)
                write(element)
                newline(1)
            } else {
                if output.last != Self.newline, pendingNewlines == 0, !output.isEmpty {
                    while output.last == Self.space { output.removeLast() }
                    appendRaw(Array(" | ".utf8))
                }
                write(element)
            }
        case "tr":
            newline(1)
            write(element)
            newline(1)
        case "hr":
            newline(2)
            appendRaw([UInt8](repeating: UInt8(ascii: "-"), count: 40))
            newline(2)
        default:
            let isBlock = Self.blocks.contains(name)
            if isBlock { newline(name.hasPrefix("h") || name == "p" ? 2 : 1) }
            write(element)
            if isBlock { newline(name.hasPrefix("h") || name == "p" ? 2 : 1) }
        }
    }

    /// Whether an inline style hides the element (`display:none`, spaces ignored).
    private static func hidesElement(_ style: UnsafeBufferPointer<UInt8>) -> Bool {
        let pattern: StaticString = "display:none"
        let wanted = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        var start = style.startIndex
        while let first = style[start...].firstIndex(of: wanted[0]) {
            var matched = 0
            var index = first
            while index < style.endIndex, matched < wanted.count {
                if style[index] == space {
                    index += 1
                } else if style[index] == wanted[matched] {
                    matched += 1
                    index += 1
                } else {
                    break
                }
            }
            if matched == wanted.count { return true }
            start = first + 1
        }
        return false
    }

    /// Appends text with its runs of spaces, tabs and line breaks folded into one space; text that starts or ends
    /// with white space keeps one space there.
    private mutating func appendText<Text: Collection<UInt8>>(_ text: Text) {
        var collapsed: [UInt8] = []
        collapsed.reserveCapacity(text.count)
        var inWord = false
        for byte in text {
            if byte == Self.space || byte == Self.newline || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                inWord = false
            } else {
                if !inWord, !collapsed.isEmpty { collapsed.append(Self.space) }
                collapsed.append(byte)
                inWord = true
            }
        }
        guard !collapsed.isEmpty else {
            if !text.isEmpty, !output.isEmpty, output.last != Self.space, output.last != Self.newline, pendingNewlines == 0 {
                output.append(Self.space)
            }
            return
        }
        if pendingNewlines > 0 {
            flushNewlines()
        } else if UTF8Edges.startsWithWhitespace(text), !output.isEmpty, output.last != Self.space,
            output.last != Self.newline
        {
            output.append(Self.space)
        }
        output += collapsed
        if UTF8Edges.endsWithWhitespace(text) { output.append(Self.space) }
    }

    private mutating func appendRaw(_ bytes: [UInt8]) {
        flushNewlines()
        output += bytes
    }

    private mutating func newline(_ count: Int) {
        guard !output.isEmpty else { return }
        pendingNewlines = max(pendingNewlines, count)
    }

    private mutating func flushNewlines() {
        guard pendingNewlines > 0 else { return }
        while output.last == Self.space { output.removeLast() }
        let existing = output.reversed().prefix(while: { $0 == Self.newline }).count
        output += repeatElement(Self.newline, count: max(0, pendingNewlines - existing))
        pendingNewlines = 0
    }

    /// The text: every line trimmed, runs of empty lines folded into one, no empty lines at the end.
    mutating func finish() -> String {
        var result: [UInt8] = []
        result.reserveCapacity(output.count + 1)
        var lastLineEmpty = true  // also true before the first line, so leading empty lines go
        var pendingEmptyLine = false
        for line in output.split(separator: Self.newline, omittingEmptySubsequences: false) {
            let trimmed = Self.trimmingHorizontalSpace(line)
            if trimmed.isEmpty {
                if !lastLineEmpty { pendingEmptyLine = true }
                lastLineEmpty = true
                continue
            }
            if !result.isEmpty { result.append(Self.newline) }
            if pendingEmptyLine { result.append(Self.newline) }
            result += trimmed
            pendingEmptyLine = false
            lastLineEmpty = false
        }
        result.append(Self.newline)
        return String(decoding: result, as: UTF8.self)
    }

    /// `bytes` without leading and trailing tabs and space separators (Unicode category Zs, as
    /// `CharacterSet.whitespaces`).
    private static func trimmingHorizontalSpace(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let width = UTF8Edges.leadingHorizontalSpaceWidth(slice) { slice = slice.dropFirst(width) }
        while let width = UTF8Edges.trailingHorizontalSpaceWidth(slice) { slice = slice.dropLast(width) }
        return slice
    }
}
