import Mustache

/// HTML escaping as swift-mustache does it (`&`, `<`, `>`, `"` and `'`), over UTF-8 bytes rather than through a
/// dictionary of `Character`s, which made escaping the largest single cost of rendering an e-mail.
///
/// `TemplateSet` registers it as the content type `HTML` before loading templates, so templates that start with
/// `{{% CONTENT_TYPE: HTML}}` escape through it: the same output, faster. (swift-mustache resets every partial to
/// its built-in HTML escaping, so each partial and layout carries the line.)
struct HTMLEscaping: MustacheContentType {
    func escapeText(_ text: String) -> String { Self.escape(text) }

    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by their character references.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x26: escaped += "&amp;".utf8
            case 0x3C: escaped += "&lt;".utf8
            case 0x3E: escaped += "&gt;".utf8
            case 0x22: escaped += "&quot;".utf8
            case 0x27: escaped += "&#39;".utf8
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }
}
