import Foundation
import NightlyCore
import Testing
import TestSupport

@Suite("E-mail review page and CSV downloads")
struct EmailReviewPageTests {
    @Test func rowsMaskRecipientsAndLinkTheFiles() {
        let email = EmailReviewPage.Message(
            stage: .secondEmail, locale: "de-DE", subject: "S",
            recipient: EmailReviewPage.Message.displayedRecipient("jane.doe@example.com", channel: .email), code: "ABCD-EFGH-JKMN",
            preview: "P", fileStem: "second_email-de-DE-1")
        #expect(email.recipient == "j***@example.com")
        #expect(email.links.map(\.href) == ["../emails/second_email-de-DE-1.html", "../emails/second_email-de-DE-1.txt",
                                            "../emails/second_email-de-DE-1.eml"])
        #expect(email.frame == nil)
        let push = EmailReviewPage.Message(
            stage: .push, locale: "en-US", subject: "T",
            recipient: EmailReviewPage.Message.displayedRecipient("0f3c9a7e-0000-4000-8000-000000000000", channel: .push),
            code: nil, preview: "B", fileStem: "push-en-US-2", framed: true)
        #expect(push.recipient == "app of customer 0f3c9a7e…")
        #expect(push.links.map(\.href) == ["../emails/push-en-US-2.push.txt"])
        #expect(push.code == "—" && push.frame == nil)

        var snapshot = RecoverySnapshot()
        snapshot.stages[.firstEmail] = .init(sent: 8, clicked: 2, converted: 1)
        snapshot.money["EUR"] = .init(revenue: 1234.5, discount: 12)
        let page = EmailReviewPage(now: testNow, runID: UUID(), dryRun: false, messages: [email, push], snapshot: snapshot)
        #expect(page.messages.map(\.stage) == ["push", "second_email"])
        #expect(page.stages.first?.clicked == "2 (25.0 %)")
        #expect(page.csvFiles["email-revenue.csv"] == "currency,recovered_revenue,discount_given\r\nEUR,\"€1,234.50\",€12.00\r\n")
        #expect(page.csvFiles["emails.csv"]?.contains("second_email,email,de-DE,S,j***@example.com,ABCD-EFGH-JKMN,P\r\n") == true)
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
