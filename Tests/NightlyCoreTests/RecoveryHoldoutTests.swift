import Foundation
import NightlyCore
import Testing
import TestSupport

private let hour: TimeInterval = 3600

@Suite("Recovery holdout: who is held out, and what the planner does with them")
struct RecoveryHoldoutTests {
    static let countingKey = Data(0..<32)
    static let ffKey = Data(repeating: 0xff, count: 32)
    static let customers = [
        UUID(uuidString: "00000000-0000-4000-8000-000000000001")!,
        UUID(uuidString: "123e4567-e89b-42d3-a456-426614174000")!,
        UUID(uuidString: "f47ac10b-58cc-4372-a567-0e02b2c3d479")!,
    ]

    /// 1,000 customer ids that are the same in every test run (the holdout is a function of the id).
    static let manyCustomers: [UUID] = (0..<1000).map { index in
        UUID(uuidString: String(format: "00000000-0000-4000-8000-%012x", index * 7919))!
    }

    /// (key, customer, bucket): computed independently with Python's `hmac.new(key, id, hashlib.sha256)`, first
    /// 8 bytes big-endian, modulo 100.
    static let knownBuckets: [(Data, UUID, Int)] = [
        (countingKey, customers[0], 77), (countingKey, customers[1], 60), (countingKey, customers[2], 81),
        (ffKey, customers[0], 64), (ffKey, customers[1], 79), (ffKey, customers[2], 98),
    ]

    @Test(arguments: knownBuckets)
    func theBucketIsTheKeyedHashOfTheCustomerID(_ key: Data, _ customer: UUID, _ bucket: Int) {
        #expect(RecoveryHoldout(key: key, percent: 5).bucket(of: customer) == bucket)
    }

    /// (percent, customer's bucket, held out): below the percent is in; 0 holds out nobody, 100 everybody.
    static let boundaries: [(Int, Int, Bool)] = [
        (0, 0, false), (1, 0, true), (60, 60, false), (61, 60, true), (77, 77, false), (78, 77, true),
        (100, 81, true), (100, 99, true), (5, 99, false),
    ]

    @Test(arguments: boundaries)
    func aCustomerIsHeldOutWhenTheirBucketIsBelowThePercent(_ percent: Int, _ bucket: Int, _ heldOut: Bool) throws {
        let holdout = RecoveryHoldout(key: Self.countingKey, percent: percent)
        let customer = try #require(Self.manyCustomers.first { holdout.bucket(of: $0) == bucket })
        #expect(holdout.holdsOut(customer) == heldOut)
    }

    @Test func theShareHeldOutIsAboutThePercentAndEveryoneIsOutAtAHundred() {
        for (percent, range) in [(0, 0...0), (5, 30...75), (50, 450...550), (100, 1000...1000)] {
            let holdout = RecoveryHoldout(key: Self.countingKey, percent: percent)
            let count = Self.manyCustomers.filter(holdout.holdsOut).count
            #expect(range.contains(count), "\(count) of 1,000 held out at \(percent) %")
        }
    }

    /// The same key gives the same answer in every run; raising the percent only adds customers.
    @Test func theAssignmentIsStableAndRaisingThePercentOnlyAdds() {
        let five = Set(Self.manyCustomers.filter(RecoveryHoldout(key: Self.countingKey, percent: 5).holdsOut))
        let again = Set(Self.manyCustomers.filter(RecoveryHoldout(key: Data(0..<32), percent: 5).holdsOut))
        let ten = Set(Self.manyCustomers.filter(RecoveryHoldout(key: Self.countingKey, percent: 10).holdsOut))
        #expect(five == again)
        #expect(five.isSubset(of: ten) && ten.count > five.count)
    }

    /// Another key reassigns the customers: nobody outside the database can predict the groups.
    @Test func anotherKeyGivesOtherGroups() {
        let first = Set(Self.manyCustomers.filter(RecoveryHoldout(key: Self.countingKey, percent: 10).holdsOut))
        let second = Set(Self.manyCustomers.filter(RecoveryHoldout(key: Self.ffKey, percent: 10).holdsOut))
        #expect(first != second)
        #expect(first.intersection(second).count < first.count / 2, "the groups barely overlap, as independent draws")
    }

    /// (idle, a fact of the customer, expected) for a held-out customer: held out exactly where a message would
    /// have been sent, so every earlier rule still decides first and a held-out cart waits out quiet hours.
    static let plannerCases: [(TimeInterval, String, RecoveryDecision)] = [
        (3 * hour, "reachable", .holdOut(.firstEmail)),
        (30 * hour, "reachable", .holdOut(.push)),
        (80 * hour, "reachable", .holdOut(.secondEmail)),
        (1 * hour, "reachable", .wait),
        (200 * hour, "reachable", .abandon),
        (3 * hour, "no consent", .suppress(.noConsent)),
        (3 * hour, "messaged an hour ago", .suppress(.customerCooldown)),
        (3 * hour, "in quiet hours", .hold(.quietHours)),
    ]

    @Test(arguments: plannerCases)
    func aHeldOutCartIsRecordedWhereAMessageWouldBeSent(_ idle: TimeInterval, _ fact: String, _ expected: RecoveryDecision) throws {
        var settings = RecoverySettings()
        settings.quietHours = fact == "in quiet hours" ? try QuietHours.parse("00:00-23:59", setting: "recovery_quiet_hours") : nil
        let held = cart(idle: idle) {
            $0.marketingOptIn = fact != "no consent"
            $0.lastMessageAt = fact == "messaged an hour ago" ? testNow.addingTimeInterval(-hour) : nil
        }
        let everybody = RecoveryPlanner(settings: settings, holdout: RecoveryHoldout(key: Self.countingKey, percent: 100))
        #expect(everybody.decide(held, now: testNow) == expected)
        let nobody = RecoveryPlanner(settings: settings, holdout: RecoveryHoldout(key: Self.countingKey, percent: 0))
        let withoutHoldout: RecoveryDecision = if case .holdOut(let stage) = expected { .send(stage) } else { expected }
        #expect(nobody.decide(held, now: testNow) == withoutHoldout)
        #expect(everybody.trace(held, now: testNow).verdicts.last?.0 == .holdout)
    }

    /// (value, accepted): 0 to 50 whole percent; anything else stops the run naming the setting and its origin.
    static let settingValues: [(String, Int?)] = [
        ("0", 0), ("5", 5), ("50", 50), ("51", nil), ("-1", nil), ("5%", nil), ("five", nil),
    ]

    @Test(arguments: settingValues)
    func theHoldoutPercentIsValidated(_ value: String, _ accepted: Int?) throws {
        let resolve = {
            try SettingsResolver().resolve(
                flags: [:], environment: ["CHECKOUT_NIGHTLY_RECOVERY_HOLDOUT_PERCENT": value], file: nil, forRun: false)
        }
        guard let accepted else {
            let error = #expect(throws: ConfigurationError.self) { try resolve() }
            #expect(error?.setting == "recovery_holdout_percent")
            #expect(error?.origin == .environment("CHECKOUT_NIGHTLY_RECOVERY_HOLDOUT_PERCENT"))
            #expect("\(error.map { "\($0)" } ?? "")".contains("from 0 (no holdout) to 50"))
            return
        }
        #expect(try resolve().recovery.holdoutPercent == accepted)
    }

    @Test func theDefaultIsFivePercentAndHeldOutIsCountedAtZero() {
        #expect(RecoverySettings().holdoutPercent == 5)
        #expect(RecoveryCounts().named["held_out"] == 0)
    }
}
