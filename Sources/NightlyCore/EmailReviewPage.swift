import Foundation

/// The view model of the marketing review pages (`site/emails.html` and `site/email-gallery.html`): every
/// message of the run, the attribution, and the template gallery. Customer addresses are masked.
public struct EmailReviewPage: Sendable {
    /// A link to one of a message's files, relative to the site folder (the e-mails live in `../emails/`).
    public struct Link: Sendable {
        public var label: String
        public var href: String
    }

    /// One message (of the run, or of the gallery).
    public struct Message: Sendable {
        public var stage: String
        public var channel: String
        public var locale: String
        public var subject: String
        /// The masked address, the customer for push, or the sample's title in the gallery.
        public var recipient: String
        public var code: String
        public var preview: String
        public var links: [Link]
        /// The HTML file to show in a preview frame (gallery e-mails only; a run may have thousands of messages).
        public var frame: String?

        /// A row for the message whose files are `<emails>/<fileStem>.*`; `recipient` is shown as given.
        public init(
            stage: RecoveryStage, locale: String, subject: String, recipient: String, code: String?, preview: String,
            fileStem: String, framed: Bool = false
        ) {
            self.stage = stage.rawValue
            channel = stage.channel?.rawValue ?? ""
            self.locale = locale
            self.subject = subject
            self.recipient = recipient
            self.code = code ?? "—"
            self.preview = preview
            let base = "../emails/" + fileStem
            let extensions = stage.channel == .push ? ["push.txt"] : ["html", "txt", "eml"]
            links = extensions.map { Link(label: "." + $0, href: base + "." + $0) }
            frame = framed && stage.channel == .email ? base + ".html" : nil
        }

        /// How the review pages show a recipient: a masked address, or the customer of a push message.
        public static func displayedRecipient(_ recipient: String, channel: RecoveryChannel) -> String {
            channel == .email ? EmailMask.mask(recipient) : "app of customer " + recipient.prefix(8) + "…"
        }
    }

    /// One stage's attribution.
    public struct StageRow: Sendable {
        public var stage: String
        public var sent: Int
        public var clicked: String
        public var converted: String
    }

    /// One currency's money.
    public struct MoneyRow: Sendable {
        public var currency: String
        public var revenue: String
        public var discount: String
    }

    /// The gallery's renderings of one locale.
    public struct GalleryLocale: Sendable {
        public var locale: String
        public var messages: [Message]
        /// The CSV download of this locale's table (stored: templates see stored properties only).
        public var csvPath: String

        init(locale: String, messages: [Message]) {
            self.locale = locale
            self.messages = messages
            csvPath = "email-gallery-\(locale).csv"
        }
    }

    public var stamp: PageStamp
    public var dryRun: Bool
    public var messages: [Message]
    public var stages: [StageRow]
    public var money: [MoneyRow]
    public var gallery: [GalleryLocale]

    /// The CSV downloads of the pages' tables, by file name in the site folder.
    public var csvFiles: [String: String] {
        func rows(_ messages: [Message]) -> [[String]] {
            messages.map { [$0.stage, $0.channel, $0.locale, $0.subject, $0.recipient, $0.code, $0.preview] }
        }
        let header = ["stage", "channel", "locale", "subject", "recipient", "code", "preview"]
        return [
            "emails.csv": CSV.render(header: header, rows: rows(messages)),
            "email-attribution.csv": CSV.render(
                header: ["stage", "sent", "clicked", "converted"],
                rows: stages.map { [$0.stage, String($0.sent), $0.clicked, $0.converted] }),
            "email-revenue.csv": CSV.render(
                header: ["currency", "recovered_revenue", "discount_given"],
                rows: money.map { [$0.currency, $0.revenue, $0.discount] }),
        ].merging(gallery.map { ($0.csvPath, CSV.render(header: header, rows: rows($0.messages))) }) { a, _ in a }
    }

    public init(
        now: Date, runID: UUID, dryRun: Bool, messages: [Message] = [],
        snapshot: RecoverySnapshot = RecoverySnapshot(), gallery: [Message] = []
    ) {
        stamp = PageStamp(now: now, runID: runID)
        self.dryRun = dryRun
        self.messages = messages.sorted { ($0.stage, $0.locale, $0.subject) < ($1.stage, $1.locale, $1.subject) }
        func share(_ part: Int, of whole: Int) -> String {
            whole == 0 ? "\(part)" : "\(part) (\(String(format: "%.1f", Double(part) * 100 / Double(whole))) %)"
        }
        stages = RecoveryStage.messageStages.map { stage in
            let totals = snapshot.stages[stage] ?? RecoverySnapshot.StageTotals()
            return StageRow(
                stage: stage.rawValue, sent: totals.sent, clicked: share(totals.clicked, of: totals.sent),
                converted: share(totals.converted, of: totals.sent))
        }
        let formatting = LocalizedFormatting()
        money = snapshot.money.sorted { $0.key < $1.key }.map { currency, money in
            MoneyRow(
                currency: currency, revenue: formatting.money(money.revenue, currency: currency, locale: "en-US"),
                discount: formatting.money(money.discount, currency: currency, locale: "en-US"))
        }
        self.gallery = Dictionary(grouping: gallery, by: \.locale).sorted { $0.key < $1.key }
            .map { GalleryLocale(locale: $0.key, messages: $0.value) }
    }
}
