import Foundation

/// The view model of the marketing review pages: one page of the run's messages (`site/emails-<n>.html`, at most
/// `EmailReviewIndex.pageSize` each, so that a page loads whatever the night's volume), or the template gallery
/// per locale (`site/email-gallery.html`), as site tables. Customer addresses and codes are masked. What the
/// messages achieved is on the cart analytics page.
public struct EmailReviewPage: Sendable {
    /// One message (of the run, or of the gallery) and where its files are.
    public struct Message: Sendable {
        public var message: RecoveryMessage
        public var subject: String
        public var preview: String
        /// The message's files are `<emails>/<fileStem>.*`.
        public var fileStem: String
        /// The masked address, the customer for push, or the sample's title in the gallery.
        public var recipient: String

        /// A message shown to `recipient`, or when that is nil to the message's own recipient, masked.
        public init(_ message: RecoveryMessage, subject: String, preview: String, fileStem: String, recipient: String? = nil) {
            self.message = message
            self.subject = subject
            self.preview = preview
            self.fileStem = fileStem
            self.recipient = recipient
                ?? Self.displayedRecipient(message.recipient, channel: message.stage.channel ?? .email)
        }

        /// How the review pages show a recipient: a masked address, or the customer of a push message.
        public static func displayedRecipient(_ recipient: String, channel: RecoveryChannel) -> String {
            channel == .email ? EmailMask.mask(recipient) : "app of customer " + recipient.prefix(8) + "…"
        }

        /// Stage, locale and subject: the order of the run's messages on the page.
        var sortKey: (String, String, String) { (message.stage.rawValue, message.locale, subject) }

        /// The table row: links to the files (relative to the site folder; the e-mails live in `../emails/`) and,
        /// when `framed`, the HTML in a preview frame (gallery e-mails only: a run may have thousands of messages).
        public func cells(framed: Bool) -> [TableCell] {
            let base = "../emails/" + fileStem
            let isEmail = message.stage.channel == .email
            let frame = framed && isEmail ? TableCell.Frame(src: base + ".html", title: "Preview: " + subject) : nil
            return [
                TableCell(message.stage.rawValue), TableCell(message.locale), TableCell(subject), TableCell(recipient),
                TableCell(message.code.map(CodeMask.mask) ?? "—"), TableCell(preview, frame: frame),
                TableCell(links: (isEmail ? ["html", "txt", "eml"] : ["push.txt"]).map {
                    TableCell.Link(label: "." + $0, href: base + "." + $0)
                }),
            ]
        }
    }

    /// The gallery's renderings of one locale.
    public struct GalleryLocale: Sendable {
        public var locale: String
        public var table: DataTable
    }

    /// Where a page of messages stands among the others.
    public struct Pagination: Sendable {
        public var page: Int
        public var previous: String?
        public var next: String?
    }

    public var stamp: PageStamp
    public var dryRun: Bool
    /// This page's messages, by stage, locale and subject.
    public var messages: DataTable
    public var gallery: [GalleryLocale]
    public var pagination: Pagination?

    /// `page` counts from 1; `hasNext` says whether a page follows.
    public init(
        now: Date, runID: UUID, dryRun: Bool, messages: [Message] = [], page: Int = 1, hasNext: Bool = false,
        gallery: [Message] = []
    ) {
        stamp = PageStamp(now: now, runID: runID)
        self.dryRun = dryRun
        pagination = Pagination(
            page: page, previous: page > 1 ? Self.fileName(page: page - 1) : nil,
            next: hasNext ? Self.fileName(page: page + 1) : nil)
        self.messages = Self.table(
            id: EmailReviewIndex.tableID, caption: "Messages of this run, page \(page)", recipientTitle: "Recipient",
            messages: messages.sorted { $0.sortKey < $1.sortKey },
            framed: false, emptyText: "No cart was due for a message in this run.")
        self.gallery = Dictionary(grouping: gallery, by: \.message.locale).sorted { $0.key < $1.key }.map { locale, messages in
            GalleryLocale(
                locale: locale,
                table: Self.table(
                    id: "email-gallery-\(locale)", caption: "Every template in \(locale) for the sample carts",
                    recipientTitle: "Sample", messages: messages, framed: true, emptyText: "No template."))
        }
    }

    /// The file of page `page` of the run's messages.
    public static func fileName(page: Int) -> String { "emails-\(page).html" }

    /// The tables of `email-gallery.html`.
    public var galleryTables: [DataTable] { gallery.map(\.table) }

    /// The columns of a table of messages.
    public static func columns(recipientTitle: String) -> [TableColumn] {
        [TableColumn("Stage"), TableColumn("Locale"), TableColumn("Subject"), TableColumn(recipientTitle),
         TableColumn("Code", code: true), TableColumn("Preview"), TableColumn("Files")]
    }

    private static func table(
        id: String, caption: String, recipientTitle: String, messages: [Message], framed: Bool, emptyText: String
    ) -> DataTable {
        DataTable(
            id: id, caption: caption,
            columns: columns(recipientTitle: recipientTitle),
            rows: messages.map { $0.cells(framed: framed) }, emptyText: emptyText)
    }
}
