import Foundation
import NightlyCore
import Testing
import TestSupport

private let hour: TimeInterval = 3600

@Suite("explain: the facts, every rule's verdict, the next stage")
struct RecoveryExplanationTests {
    let planner = RecoveryPlanner(settings: RecoverySettings())
    let eligible = RecoveryExplanation.Eligibility(
        status: "active", isActive: true, hasOrder: false, expired: false, lines: 1, linesInStock: 1)

    /// Every rule is listed in order with its own verdict, so support sees each reason, and the decision is the
    /// first that applies.
    @Test func everyRuleIsListedAndTheFirstThatAppliesDecides() {
        var due = cart(idle: 3 * hour) { $0.unsubscribed = true }
        due.orderedSince = true
        let explanation = RecoveryExplanation(
            cartID: due.id, now: testNow, eligibility: eligible, cart: due, planner: planner, messages: [])
        #expect(explanation.rules.map(\.name) == RecoveryRule.allCases.map(\.rawValue))
        let applying = explanation.rules.filter { $0.value != "passes" }
        #expect(applying.map(\.value) == ["suppressed_ordered_since", "suppressed_unsubscribed"])
        #expect(explanation.decision == "suppressed_ordered_since")
        #expect(explanation.next?.stage == "push")
        #expect(explanation.next?.at == ISO8601Timestamp.format(due.lastActivity.addingTimeInterval(24 * hour)))
        #expect(explanation.facts.contains { $0.name == "customer" && $0.value.hasPrefix("a***@example.com") })
        #expect(!explanation.text.contains("ava@example.com"))
    }

    /// (idle, stages sent, decision, next stage): the due stage now and the next one.
    static let timeline: [(TimeInterval, Set<RecoveryStage>, String, String?)] = [
        (1 * hour, [], "waiting", "first_email"),
        (3 * hour, [], "send first_email", "push"),
        (25 * hour, [.firstEmail], "send push", "second_email"),
        (80 * hour, [.firstEmail, .push, .secondEmail], "waiting", "abandon"),
        (200 * hour, [], "abandon", nil),
    ]

    @Test(arguments: timeline)
    func theStageDueNowAndTheNextOne(_ idle: TimeInterval, _ sent: Set<RecoveryStage>, _ decision: String, _ next: String?) {
        let subject = cart(idle: idle, sent: sent)
        let explanation = RecoveryExplanation(
            cartID: subject.id, now: testNow, eligibility: eligible, cart: subject, planner: planner, messages: [])
        #expect(explanation.decision == decision)
        #expect(explanation.next?.stage == next)
    }

    @Test func aCartThePassDoesNotConsiderSaysWhy() {
        let completed = RecoveryExplanation.Eligibility(
            status: "completed", isActive: false, hasOrder: true, expired: false, lines: 2, linesInStock: 2)
        let explanation = RecoveryExplanation(
            cartID: UUID(), now: testNow, eligibility: completed, cart: nil, planner: planner, messages: [])
        #expect(explanation.decision == "not considered: the cart is completed and not active")
        #expect(explanation.rules.isEmpty && explanation.next == nil)
    }

    /// Recipients are masked; the code's state is given, never the code.
    @Test func messagesAreMasked() throws {
        let subject = cart(idle: 30 * hour, sent: [.firstEmail, .push])
        let messages = [
            RecoveryExplanation.Message(
                stage: "first_email", channel: .email, recipient: "ava.smith@example.com", sentAt: testNow.addingTimeInterval(-28 * hour),
                codeState: "redeemed", clicked: true, converted: true),
            RecoveryExplanation.Message(
                stage: "push", channel: .push, recipient: "8d3c1f0e-0000-4000-8000-000000000000", sentAt: testNow.addingTimeInterval(-4 * hour),
                codeState: nil, clicked: false, converted: false),
        ]
        let explanation = RecoveryExplanation(
            cartID: subject.id, now: testNow, eligibility: eligible, cart: subject, planner: planner, messages: messages)
        #expect(explanation.messages.map(\.recipient) == ["a***@example.com", "app of customer 8d3c1f0e…"])
        #expect(explanation.text.contains("first_email  to a***@example.com  code redeemed  clicked  converted"))
        let json = try JSONEncoder().encode(explanation)
        #expect(try JSONDecoder().decode(RecoveryExplanation.self, from: json) == explanation)
        #expect(!String(decoding: json, as: UTF8.self).contains("ava.smith"))
    }
}
