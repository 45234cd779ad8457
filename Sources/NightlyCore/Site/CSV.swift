import Foundation

/// CSV files for the site's tables: RFC 4180 (comma-separated, CRLF line ends, fields with a comma, quote or
/// line break quoted, quotes doubled), guarded against formula injection: a text cell that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet shows it instead of evaluating it.
/// Plain numbers such as `-12.5` are left alone.
///
/// Every file carries the time its data was taken as a last column, `Data taken at`, holding the same ISO 8601
/// UTC time on every row (`2026-11-25T02:00:00Z`): a spreadsheet opens it as an ordinary column (a comment line
/// above the header would become a bogus first row), and the time survives filtering, sorting and pasting rows.
public enum CSV {
    /// The title of the last column.
    public static let takenAtColumn = "Data taken at"

    /// A whole file: the header and every row, each followed by the `Data taken at` column.
    public static func render(header: [String], rows: [[String]], takenAt: Date) -> String {
        let stamp = ISO8601Timestamp.format(takenAt)
        return line(header + [takenAtColumn]) + rows.map { line($0 + [stamp]) }.joined()
    }

    /// One record, with its line end.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// One field, guarded and quoted as needed.
    public static func field(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), !isPlainNumber(text) {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func isPlainNumber(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard !body.isEmpty, parts.count <= 2 else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
