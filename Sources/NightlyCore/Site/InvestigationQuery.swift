import Foundation

/// An investigation query of the runbook, shown and linked on the reconciliation page.
public struct InvestigationQuery: Sendable {
    /// The first comment line, such as "Investigation 2: everything about one order …".
    public var title: String
    /// The copy's path relative to the site root, such as `queries/investigation/02_order_detail.sql`.
    public var path: String
    public var sql: String

    public init(path: String, sql: String) {
        self.path = path
        self.sql = sql
        let firstComment = sql.split(separator: "\n").first { $0.hasPrefix("--") }
        title = firstComment.map { String($0.dropFirst(2)).trimmingCharacters(in: .whitespaces) } ?? path
    }
}
