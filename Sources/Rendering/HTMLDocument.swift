import CLibXML2

/// An HTML document parsed by libxml2's forgiving HTML parser: the project's one wrapper around libxml2.
public final class HTMLDocument {
    private let document: xmlDocPtr

    /// Parses `html` as UTF-8, never touching the network. Throws when libxml2 cannot build a tree at all.
    public init(html: String) throws {
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue)
        let bytes = Array(html.utf8)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(1, buffer.count)) { pointer in
                htmlReadMemory(pointer, Int32(buffer.count), "document.html", "UTF-8", options)
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

/// Turns an HTML tree into readable plain text.
private struct PlainTextWriter {
    private var output = ""
    private var pendingNewlines = 0
    private var listDepth = 0
    /// For each open table, whether it is a layout table (`role="presentation"`) rather than a data table.
    private var layoutTables: [Bool] = []

    private static let blocks: Set<String> = [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol", "li", "section", "header",
        "footer", "article", "blockquote", "pre", "hr", "center",
    ]
    private static let skipped: Set<String> = ["script", "style", "head", "title", "template", "noscript"]

    mutating func write(_ node: xmlNodePtr) {
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                appendText(HTMLDocument.content(of: current))
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
        if HTMLDocument.attribute(element, "hidden") != nil { return }
        if HTMLDocument.attribute(element, "aria-hidden") == "true" { return }
        if let style = HTMLDocument.attribute(element, "style")?.replacingOccurrences(of: " ", with: ""),
            style.contains("display:none")
        {
            return  // preheaders and other hidden helpers
        }
        switch name {
        case "br":
            newline(1)
        case "img":
            if let alt = HTMLDocument.attribute(element, "alt"), !alt.isEmpty { appendText("[\(alt)]") }
        case "a":
            let before = output.count
            write(element)
            let linkText = String(output.dropFirst(before)).trimmingCharacters(in: .whitespaces)
            if let href = HTMLDocument.attribute(element, "href"), !href.isEmpty, href != linkText,
                !href.hasPrefix("#")
            {
                appendText(linkText.isEmpty ? href : " <\(href)>")
            }
        case "li":
            newline(1)
            appendRaw(String(repeating: "  ", count: max(0, listDepth - 1)) + "- ")
            write(element)
            newline(1)
        case "ul", "ol":
            listDepth += 1
            newline(listDepth == 1 ? 2 : 1)
            write(element)
            listDepth -= 1
            newline(listDepth == 0 ? 2 : 1)
        case "table":
            layoutTables.append(HTMLDocument.attribute(element, "role") == "presentation")
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
                if !output.hasSuffix("\n"), pendingNewlines == 0, !output.isEmpty {
                    while output.hasSuffix(" ") { output.removeLast() }
                    appendRaw(" | ")
                }
                write(element)
            }
        case "tr":
            newline(1)
            write(element)
            newline(1)
        case "hr":
            newline(2)
            appendRaw(String(repeating: "-", count: 40))
            newline(2)
        default:
            let isBlock = Self.blocks.contains(name)
            if isBlock { newline(name.hasPrefix("h") || name == "p" ? 2 : 1) }
            write(element)
            if isBlock { newline(name.hasPrefix("h") || name == "p" ? 2 : 1) }
        }
    }

    private mutating func appendText(_ text: String) {
        let collapsed = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
            .joined(separator: " ")
        guard !collapsed.isEmpty else {
            if !text.isEmpty, !output.isEmpty, !output.hasSuffix(" "), !output.hasSuffix("\n"), pendingNewlines == 0 {
                output += " "
            }
            return
        }
        let leadingSpace = text.first.map { $0.isWhitespace } ?? false
        let trailingSpace = text.last.map { $0.isWhitespace } ?? false
        if pendingNewlines > 0 {
            flushNewlines()
        } else if leadingSpace, !output.isEmpty, !output.hasSuffix(" "), !output.hasSuffix("\n") {
            output += " "
        }
        output += collapsed
        if trailingSpace { output += " " }
    }

    private mutating func appendRaw(_ text: String) {
        flushNewlines()
        output += text
    }

    private mutating func newline(_ count: Int) {
        guard !output.isEmpty else { return }
        pendingNewlines = max(pendingNewlines, count)
    }

    private mutating func flushNewlines() {
        guard pendingNewlines > 0 else { return }
        while output.hasSuffix(" ") { output.removeLast() }
        let existing = output.reversed().prefix(while: { $0 == "\n" }).count
        output += String(repeating: "\n", count: max(0, pendingNewlines - existing))
        pendingNewlines = 0
    }

    mutating func finish() -> String {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var result: [String] = []
        for line in lines where !(line.isEmpty && (result.last?.isEmpty ?? true)) { result.append(line) }
        while result.last?.isEmpty == true { result.removeLast() }
        return result.joined(separator: "\n") + "\n"
    }
}
