import Foundation

/// A table of the site with its CSV download: the view model every page's tables share.
///
/// The CSV holds every row; the page may show fewer (`shownRows`) with a note. Leading columns listed in
/// `groupedColumns` are merged (rowspan) across consecutive rows with the same `groupKeys`, so an order with
/// three errors shows its number once on the page while the CSV repeats it on each row.
public struct DataTable: Sendable {
    /// A cell as rendered, with its rowspan (1 for an ordinary cell).
    public struct RenderedCell: Sendable {
        public var text: String
        public var tone: String
        public var links: [TableCell.Link]
        public var frame: TableCell.Frame?
        public var numeric: Bool
        public var code: Bool
        public var rowspan: Int
        public var spans: Bool
    }

    public struct RenderedRow: Sendable {
        public var cells: [RenderedCell]
    }

    /// Unique within the site: the table's anchor and its CSV file name.
    public var id: String
    public var caption: String
    public var columns: [TableColumn]
    public var bodyRows: [RenderedRow]
    public var hasRows: Bool
    public var emptyText: String
    /// Shown under the table, such as "Showing the newest 200 of 4,712 rows; the CSV holds all of them."
    public var note: String
    /// The CSV file's path relative to the site root.
    public var csvPath: String
    /// The CSV file's records: the column titles, then every row's texts.
    public let csvRecords: [[String]]

    public init(
        id: String, caption: String, columns: [TableColumn], rows: [[TableCell]], emptyText: String = "No rows.",
        shownRows: Int? = nil, groupedColumns: Int = 0, groupKeys: [String]? = nil
    ) {
        self.id = id
        self.caption = caption
        self.columns = columns
        self.emptyText = emptyText
        hasRows = !rows.isEmpty
        csvPath = "csv/\(id).csv"
        csvRecords = [columns.map(\.title)] + rows.map { $0.map(\.text) }
        let limit = min(rows.count, shownRows ?? rows.count)
        note = limit < rows.count
            ? "Showing the first \(Formatting.integer(limit)) of \(Formatting.integer(rows.count)) rows; the CSV holds all of them."
            : ""
        let keys = groupKeys ?? rows.map { $0.prefix(groupedColumns).map(\.text).joined(separator: "\u{1F}") }
        var rendered: [RenderedRow] = []
        var index = 0
        while index < limit {
            var span = 1
            while groupedColumns > 0, index + span < limit, keys[index + span] == keys[index] { span += 1 }
            for offset in 0..<span {
                let row = rows[index + offset]
                let cells = row.indices.compactMap { column -> RenderedCell? in
                    let grouped = column < groupedColumns
                    if grouped && offset > 0 { return nil }
                    let rowspan = grouped ? span : 1
                    let cell = row[column]
                    let heading = column < columns.count ? columns[column] : TableColumn("")
                    return RenderedCell(
                        text: cell.text, tone: cell.tone, links: cell.links, frame: cell.frame,
                        numeric: heading.numeric, code: heading.code, rowspan: rowspan, spans: rowspan > 1)
                }
                rendered.append(RenderedRow(cells: cells))
            }
            index += span
        }
        bodyRows = rendered
    }

    /// The CSV file's content, stamped with the time its data was taken.
    public func csv(takenAt: Date) -> String {
        CSV.render(header: csvRecords[0], rows: Array(csvRecords.dropFirst()), takenAt: takenAt)
    }
}
