import Foundation
import NightlyCore
import Testing
import TestSupport

@Suite("E-mail review page and CSV downloads")
struct EmailReviewPageTests {
    @Test func rowsMaskRecipientsAndLinkTheFiles() {
        func message(_ stage: RecoveryStage, _ locale: String, recipient: String, code: String?) -> RecoveryMessage {
            var message = RecoverySamples.message(
                RecoverySamples.all[0], stage: stage, locale: locale, settings: RecoverySettings(), now: testNow)
            message.recipient = recipient
            message.code = code
            return message
        }
        let email = EmailReviewPage.Message(
            message(.secondEmail, "de-DE", recipient: "jane.doe@example.com", code: "ABCD-EFGH-JKMN"), subject: "S",
            preview: "P", fileStem: "second_email-de-DE-1")
        #expect(email.recipient == "j***@example.com")
        let push = EmailReviewPage.Message(
            message(.push, "en-US", recipient: "0f3c9a7e-0000-4000-8000-000000000000", code: nil), subject: "T",
            preview: "B", fileStem: "push-en-US-2")
        #expect(push.recipient == "app of customer 0f3c9a7e…")
        let sample = EmailReviewPage.Message(
            message(.firstEmail, "en-US", recipient: "jane.doe@example.com", code: nil), subject: "U", preview: "C",
            fileStem: "gallery/en-US/first_email-one", recipient: "One item")
        #expect(sample.recipient == "One item", "the gallery shows the sample's title")

        let page = EmailReviewPage(now: testNow, runID: UUID(), dryRun: false, messages: [email, push], gallery: [email, push])
        let rows = page.messages.bodyRows.map(\.cells)
        #expect(rows.map { $0[0].text } == ["push", "second_email"])
        #expect(rows[1][6].links.map(\.href) == ["../emails/second_email-de-DE-1.html", "../emails/second_email-de-DE-1.txt",
                                                 "../emails/second_email-de-DE-1.eml"])
        #expect(rows[0][6].links.map(\.href) == ["../emails/push-en-US-2.push.txt"])
        #expect(rows.allSatisfy { $0[5].frame == nil }, "no preview frames for the run's messages")
        #expect(rows[0][4].text == "—" && rows[1][4].code)
        #expect(rows[1][4].text == "AB••••", "review pages never show a live code")
        #expect(page.messages.csvPath == "csv/emails-messages.csv")
        #expect(CSV.line(email.cells(framed: false).map(\.text))
            == "second_email,de-DE,S,j***@example.com,AB••••,P,../emails/second_email-de-DE-1.html ../emails/second_email-de-DE-1.txt ../emails/second_email-de-DE-1.eml\r\n")

        #expect(page.gallery.map(\.locale) == ["de-DE", "en-US"])
        #expect(page.galleryTables.map(\.csvPath) == ["csv/email-gallery-de-DE.csv", "csv/email-gallery-en-US.csv"])
        let frame = page.gallery[0].table.bodyRows[0].cells[5].frame
        #expect(frame?.src == "../emails/second_email-de-DE-1.html" && frame?.title == "Preview: S")
        #expect(page.gallery[1].table.bodyRows[0].cells[5].frame == nil, "push messages have no HTML to frame")
    }

    @Test func anEmptyRunSaysSoInsteadOfAnEmptyTable() {
        let page = EmailReviewPage(now: testNow, runID: UUID(), dryRun: true)
        #expect(!page.messages.hasRows)
        #expect(page.messages.emptyText == "No cart was due for a message in this run.")
        #expect(page.messages.csv(takenAt: testNow) == "Stage,Locale,Subject,Recipient,Code,Preview,Files,Data taken at\r\n")
    }

    @Test func theSnapshotExportsEveryStageAndStateWithZeros() {
        let text = MetricExposition.render(RecoverySnapshot().metricFamilies)
        #expect(text.contains("checkout_nightly_recovery_messages_total{stage=\"push\"} 0\n"))
        #expect(text.contains("# TYPE checkout_nightly_recovery_messages_total counter\n"))
        #expect(text.contains("# TYPE checkout_nightly_recovery_carts gauge\n"))
        #expect(text.contains("checkout_nightly_recovery_carts{stage=\"abandon\"} 0\n"))
        #expect(text.contains("checkout_nightly_recovery_codes{state=\"expired\"} 0\n"))
        #expect(text.contains("checkout_nightly_recovery_outbox_pending 0\n"))
    }
}
