import Foundation
import NightlyCore
import Rendering

/// The review copies of a run's messages, written as the messages are recorded: each message's files into the
/// staged `emails/` (tokens and codes of review copies are never live), a row into the CSV of all messages, and
/// a page of the review site per `EmailReviewIndex.pageSize` messages. Memory holds at most one page of rows.
final class ReviewCopies: @unchecked Sendable {
    private let context: StepContext
    private let csv: StreamedFile
    /// The run's clock as the CSV's `Data taken at` column.
    private let takenAt: String
    /// The messages of the page being filled (one more than a page: the first of the next says it exists).
    private var pending: [EmailReviewPage.Message] = []
    private var pagesWritten = 0
    /// Messages per stage and locale, for the index page.
    private var counts: [String: [String: Int]] = [:]

    init(_ context: StepContext) throws {
        self.context = context
        csv = try StreamedFile(
            context.site.folder.url.appendingPathComponent("csv/\(EmailReviewIndex.tableID).csv"))
        takenAt = ISO8601Timestamp.format(context.now)
        try csv.append(CSV.line(EmailReviewPage.columns(recipientTitle: "Recipient").map(\.title) + [CSV.takenAtColumn]))
    }

    /// Writes the files of one message's review copy and returns its row for `list`. Safe to call from several
    /// send workers at once; `list` is not.
    func write(_ rendering: RecoveryRendering) throws -> EmailReviewPage.Message {
        let review = rendering.forReview()
        let message = review.message
        let stem = "\(message.stage.rawValue)-\(message.locale)-\(message.id.uuidString.lowercased())"
        try writeFiles(review, stem: stem)
        return EmailReviewPage.Message(message, subject: review.subject, preview: review.preview, fileStem: stem)
    }

    /// Lists a written review copy: its CSV row, and its place on a review page (written when the page is full).
    func list(_ row: EmailReviewPage.Message) throws {
        try csv.append(CSV.line(row.cells(framed: false).map(\.text) + [takenAt]))
        counts[row.message.stage.rawValue, default: [:]][row.message.locale, default: 0] += 1
        if pending.count == EmailReviewIndex.pageSize {
            try writePage(hasNext: true)
        }
        pending.append(row)
    }

    /// Writes the last page, the index page, the CSV and the template gallery.
    func finish(gallery: [RecoveryTemplates.GalleryItem]) throws {
        if !pending.isEmpty { try writePage(hasNext: false) }
        try csv.finish()
        let index = EmailReviewIndex(
            now: context.now, runID: context.runID, dryRun: context.settings.dryRun, counts: counts, pages: pagesWritten)
        try context.site.page("emails", index, tables: [index.counts])
        let samples = try gallery.map { item in
            let message = item.rendering.message
            let stem = "gallery/\(message.locale)/\(message.stage.rawValue)-\(item.sample.name)"
            try writeFiles(item.rendering.forReview(), stem: stem)
            return EmailReviewPage.Message(
                message, subject: item.rendering.subject, preview: item.rendering.preview, fileStem: stem,
                recipient: item.sample.title)
        }
        let page = EmailReviewPage(now: context.now, runID: context.runID, dryRun: context.settings.dryRun, gallery: samples)
        try context.site.page("email-gallery", page, tables: page.galleryTables)
    }

    private func writePage(hasNext: Bool) throws {
        pagesWritten += 1
        let page = EmailReviewPage(
            now: context.now, runID: context.runID, dryRun: context.settings.dryRun, messages: pending,
            page: pagesWritten, hasNext: hasNext)
        try context.site.folder.write(
            try context.templates.render("site/emails_page", page), to: EmailReviewPage.fileName(page: pagesWritten))
        pending.removeAll(keepingCapacity: true)
    }

    /// The files of one message's review copy (`RecoveryRendering.forReview`).
    private func writeFiles(_ review: RecoveryRendering, stem: String) throws {
        let emails = context.emails
        switch review.content {
        case .email(let email):
            try emails.write(email.html, to: stem + ".html")
            try emails.write(email.text, to: stem + ".txt")
            try emails.write(email.message.eml, to: stem + ".eml")
        case .push(let push):
            try emails.write("Title: \(push.title)\nBody: \(push.body)\nLink: \(push.link)\n", to: stem + ".push.txt")
        }
    }
}
