/// Comma-separated values as RFC 4180 writes them (CRLF line ends, fields quoted where needed), for the CSV
/// download beside each table of the site.
public enum CSV {
    /// `header` and `rows` as CSV text. A field that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
    /// first) is prefixed with `'` so it stays text.
    public static func render(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    private static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
