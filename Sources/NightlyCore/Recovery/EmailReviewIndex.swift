import Foundation

/// The view model of `site/emails.html`: how many messages the run recorded, by stage and locale, and links to
/// the pages that list them and to the CSV of all of them.
public struct EmailReviewIndex: Sendable {
    /// Messages per review page.
    public static let pageSize = 500
    /// The id of the messages table: its CSV (`csv/emails-messages.csv`) holds every message of the run.
    public static let tableID = "emails-messages"

    public struct PageLink: Sendable {
        public var href: String
        public var label: String
    }

    public var stamp: PageStamp
    public var dryRun: Bool
    public var total: String
    public var hasMessages: Bool
    public var counts: DataTable
    public var pages: [PageLink]
    public var csvPath: String

    /// `counts` holds the messages per stage and locale.
    public init(now: Date, runID: UUID, dryRun: Bool, counts: [String: [String: Int]], pages: Int) {
        stamp = PageStamp(now: now, runID: runID)
        self.dryRun = dryRun
        let sum = counts.values.flatMap(\.values).reduce(0, +)
        total = Formatting.integer(sum)
        hasMessages = sum > 0
        self.counts = DataTable(
            id: "emails-counts", caption: "Messages of this run by stage and locale",
            columns: [TableColumn("Stage"), TableColumn("Locale"), TableColumn("Messages", numeric: true)],
            rows: counts.sorted { $0.key < $1.key }.flatMap { stage, locales in
                locales.sorted { $0.key < $1.key }.map { [TableCell(stage), TableCell($0.key), TableCell(Formatting.integer($0.value))] }
            },
            emptyText: "No cart was due for a message in this run.")
        self.pages = (0..<pages).map { index in
            let first = index * Self.pageSize + 1
            return PageLink(
                href: EmailReviewPage.fileName(page: index + 1),
                label: "\(Formatting.integer(first))–\(Formatting.integer(min(sum, first + Self.pageSize - 1)))")
        }
        csvPath = "csv/\(Self.tableID).csv"
    }
}
