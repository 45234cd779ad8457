import Foundation
import NightlyCore
import Testing
import TestSupport

private let hour: TimeInterval = 3600
private let minute: TimeInterval = 60

@Suite("Recovery rules: orders on any cart, stock, lateness")
struct RecoveryTrustRulesTests {
    let planner = RecoveryPlanner(settings: RecoverySettings())

    /// (idle, ordered since, pieces in stock, expected): a fact that stops messages never stops abandonment,
    /// and does not matter while no stage is due.
    static let stoppingFacts: [(TimeInterval, Bool, Int, RecoveryDecision)] = [
        (3 * hour, true, 2, .suppress(.orderedSince)),
        (3 * hour, false, 0, .suppress(.outOfStock)),
        (3 * hour, true, 0, .suppress(.orderedSince)),
        (2 * hour - minute, true, 0, .wait),
        (7 * 24 * hour, true, 0, .abandon),
        (3 * hour, false, 1, .send(.firstEmail)),
    ]

    @Test(arguments: stoppingFacts)
    func ordersOnAnyCartAndStockStopMessages(
        _ idle: TimeInterval, _ orderedSince: Bool, _ piecesInStock: Int, _ expected: RecoveryDecision
    ) {
        var due = cart(idle: idle)
        due.orderedSince = orderedSince
        due.itemCount = piecesInStock
        #expect(planner.decide(due, now: testNow) == expected)
    }

    /// A customer who ordered is not mailed even when also unsubscribed or in the cool-down: the order is the
    /// reason the counts give.
    @Test func anOrderOutranksTheOtherSuppressions() {
        let contacted = cart(idle: 3 * hour) {
            $0.unsubscribed = true
            $0.lastMessageAt = testNow.addingTimeInterval(-hour)
        }
        var ordered = contacted
        ordered.orderedSince = true
        #expect(planner.decide(ordered, now: testNow) == .suppress(.orderedSince))
        #expect(planner.decide(contacted, now: testNow) == .suppress(.unsubscribed))
    }

    /// A cart with no line in stock is out of stock, not below the minimum number of items.
    @Test func outOfStockIsNotBelowMinimum() {
        var settings = RecoverySettings()
        settings.minimumItems = 2
        var empty = cart(idle: 3 * hour)
        empty.itemCount = 0
        #expect(RecoveryPlanner(settings: settings).decide(empty, now: testNow) == .suppress(.outOfStock))
    }

    /// (idle, stages sent, push enabled, expected) at the default lateness of 24 h: exactly 24 h late is still
    /// sent, a minute more is skipped; a skipped stage leaves the later ones eligible.
    static let lateness: [(TimeInterval, Set<RecoveryStage>, Bool, RecoveryDecision)] = [
        (2 * hour + 24 * hour, [], false, .send(.firstEmail)),
        (2 * hour + 24 * hour + minute, [], false, .hold(.tooLate)),
        (24 * hour + 24 * hour, [.firstEmail], true, .send(.push)),
        (24 * hour + 24 * hour + minute, [.firstEmail], true, .hold(.tooLate)),
        (24 * hour + 24 * hour + minute, [], true, .hold(.tooLate)),
        (72 * hour + 24 * hour, [.firstEmail, .push], true, .send(.secondEmail)),
        (72 * hour + 24 * hour + minute, [.firstEmail], true, .hold(.tooLate)),
        (72 * hour + minute, [], false, .send(.secondEmail)),
        (7 * 24 * hour, [], false, .abandon),
    ]

    @Test(arguments: lateness)
    func staleStagesAreSkipped(
        _ idle: TimeInterval, _ sent: Set<RecoveryStage>, _ push: Bool, _ expected: RecoveryDecision
    ) {
        #expect(planner.decide(cart(idle: idle, sent: sent, push: push), now: testNow) == expected)
    }

    /// (setting, idle of a first e-mail due at 2 h, expected)
    static let configuredLateness: [(String, TimeInterval, RecoveryDecision)] = [
        ("1h", 3 * hour, .send(.firstEmail)),
        ("1h", 3 * hour + minute, .hold(.tooLate)),
        ("30m", 2 * hour + 31 * minute, .hold(.tooLate)),
        ("48h", 50 * hour, .send(.firstEmail)),
    ]

    @Test(arguments: configuredLateness)
    func theLatenessIsConfigurable(_ value: String, _ idle: TimeInterval, _ expected: RecoveryDecision) throws {
        let settings = try SettingsResolver().resolve(
            flags: [:], environment: ["CHECKOUT_NIGHTLY_RECOVERY_MAX_LATENESS": value], file: nil, forRun: false)
        #expect(RecoveryPlanner(settings: settings.recovery).decide(cart(idle: idle, push: false), now: testNow) == expected)
    }

    @Test func aBadLatenessNamesTheSetting() {
        let error = #expect(throws: ConfigurationError.self) {
            try SettingsResolver().resolve(flags: ["recovery_max_lateness": "soon"], environment: [:], file: nil, forRun: false)
        }
        #expect(error?.setting == "recovery_max_lateness")
    }

    @Test func theNewCountsAreReportedEvenAtZero() {
        let names = RecoveryCounts().named
        for name in ["suppressed_ordered_since", "suppressed_out_of_stock", "skipped_too_late"] {
            #expect(names[name] == 0, "\(name)")
        }
    }
}
