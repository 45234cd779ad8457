import Foundation
import NightlyCore
import Testing
import TestSupport

private let hour: TimeInterval = 3600
private let minute: TimeInterval = 60

/// A cart idle for `idle` seconds at `testNow` (2 pieces worth 48 USD), of a customer who may be contacted unless
/// changed.
func cart(
    idle: TimeInterval, sent: Set<RecoveryStage> = [], push: Bool = true, customer change: (inout RecoveryCustomer) -> Void = { _ in }
) -> RecoveryCart {
    var customer = RecoveryCustomer(
        id: UUID(), email: "ava@example.com", firstName: "Ava", locale: "en-US", marketingOptIn: true, pushEnabled: push)
    change(&customer)
    return RecoveryCart(
        id: UUID(), version: 1, currency: "USD", lastActivity: testNow.addingTimeInterval(-idle), itemCount: 2,
        value: 48, customer: customer, sentStages: sent)
}

@Suite("Recovery rules: stages, late runs, suppression")
struct RecoveryPlannerTests {
    let planner = RecoveryPlanner(settings: RecoverySettings())

    static let boundaries: [(TimeInterval, Set<RecoveryStage>, RecoveryDecision)] = [
        (2 * hour, [], .send(.firstEmail)),
        (24 * hour, [.firstEmail], .send(.push)),
        (72 * hour, [.firstEmail, .push], .send(.secondEmail)),
        (168 * hour, [.firstEmail, .push, .secondEmail], .abandon),
    ]

    static let lateRuns: [(TimeInterval, Set<RecoveryStage>, Bool, RecoveryDecision)] = [
        (80 * hour, [], true, .send(.secondEmail)),
        (30 * hour, [], true, .send(.push)),
        (25 * hour, [], false, .send(.firstEmail)),
        (80 * hour, [.firstEmail], true, .send(.secondEmail)),
        (80 * hour, [.secondEmail], true, .wait),
        (30 * hour, [.push], true, .wait),
        (200 * hour, [], true, .abandon),
    ]

    /// Each stage boundary one minute before and after, with every earlier stage already sent.
    @Test(arguments: boundaries)
    func stageBoundaries(_ delay: TimeInterval, _ sent: Set<RecoveryStage>, _ after: RecoveryDecision) {
        #expect(planner.decide(cart(idle: delay - minute, sent: sent), now: testNow) == .wait)
        #expect(planner.decide(cart(idle: delay + minute, sent: sent), now: testNow) == after)
    }

    /// A late run sends only the latest stage still due; earlier stages are never sent after a later one.
    @Test(arguments: lateRuns)
    func lateRunSendsOnlyTheLatestDueStage(
        _ idle: TimeInterval, _ sent: Set<RecoveryStage>, _ push: Bool, _ expected: RecoveryDecision
    ) {
        #expect(planner.decide(cart(idle: idle, sent: sent, push: push), now: testNow) == expected)
    }

    /// New activity restarts the clock: a stage already sent stays sent, the next one waits for its full delay.
    @Test func activityRestartsTheClockForStagesNotYetSent() {
        #expect(planner.decide(cart(idle: 3 * hour, sent: [.firstEmail]), now: testNow) == .wait)
        #expect(planner.decide(cart(idle: 23 * hour, sent: [.firstEmail]), now: testNow) == .wait)
        #expect(planner.decide(cart(idle: 25 * hour, sent: [.firstEmail]), now: testNow) == .send(.push))
    }

    @Test(arguments: [RecoverySuppression.noConsent, .unsubscribed, .bounced, .customerCooldown, .invalidAddress])
    func customersWhoMayNotBeContactedAreSuppressed(_ reason: RecoverySuppression) {
        let change = { (customer: inout RecoveryCustomer) in
            switch reason {
            case .noConsent: customer.marketingOptIn = false
            case .unsubscribed: customer.unsubscribed = true
            case .bounced: customer.bounced = true
            case .customerCooldown: customer.lastMessageAt = testNow.addingTimeInterval(-23 * hour)
            case .invalidAddress: customer.email = "a@x.com\r\nBcc: victim@example.com"
            case .guest, .belowMinimum, .orderedSince, .outOfStock: Issue.record("not a customer setting")
            }
        }
        #expect(planner.decide(cart(idle: 3 * hour, customer: change), now: testNow) == .suppress(reason))
        // Abandonment does not depend on the customer.
        #expect(planner.decide(cart(idle: 8 * 24 * hour, customer: change), now: testNow) == .abandon)
    }

    /// An address that is not a mailbox stops e-mail stages only: push goes to the customer id.
    @Test func anInvalidAddressStillGetsPush() {
        let pushDue = cart(idle: 25 * hour, sent: [.firstEmail], push: true) { $0.email = "a@x.com, b@y.com" }
        #expect(planner.decide(pushDue, now: testNow) == .send(.push))
    }

    @Test func theCoolDownEndsAfter24Hours() {
        let contacted = cart(idle: 3 * hour) { $0.lastMessageAt = testNow.addingTimeInterval(-25 * hour) }
        #expect(planner.decide(contacted, now: testNow) == .send(.firstEmail))
    }

    @Test func guestCartsAreCountedNotContacted() {
        var guest = cart(idle: 3 * hour)
        guest.customer = nil
        #expect(planner.decide(guest, now: testNow) == .suppress(.guest))
        guest.lastActivity = testNow.addingTimeInterval(-hour)
        #expect(planner.decide(guest, now: testNow) == .wait)
    }

    /// The cart is worth 48 and holds 2 pieces.
    static let minimums: [(Decimal, Int, RecoveryDecision)] = [
        (48, 1, .send(.firstEmail)), (Decimal(string: "48.01")!, 1, .suppress(.belowMinimum)),
        (0, 2, .send(.firstEmail)), (0, 3, .suppress(.belowMinimum)),
    ]

    @Test(arguments: minimums)
    func optionalMinimums(_ minimumValue: Decimal, _ minimumItems: Int, _ expected: RecoveryDecision) {
        var settings = RecoverySettings()
        settings.minimumCartValue = minimumValue
        settings.minimumItems = minimumItems
        #expect(RecoveryPlanner(settings: settings).decide(cart(idle: 3 * hour), now: testNow) == expected)
    }

    @Test func stageDelaysAreConfigurable() throws {
        let settings = try SettingsResolver().resolve(
            flags: [:],
            environment: ["CHECKOUT_NIGHTLY_RECOVERY_FIRST_EMAIL_AFTER": "1h", "CHECKOUT_NIGHTLY_RECOVERY_PUSH_AFTER": "90m"]
                .merging(storefrontEnvironment) { a, _ in a },
            file: ConfigFile(path: "c.conf", text: "recovery_second_email_after = 2d\nrecovery_max_messages = 10\n"))
        #expect(settings.recovery.firstEmailAfter == hour)
        #expect(settings.recovery.pushAfter == 90 * minute)
        #expect(settings.recovery.secondEmailAfter == 48 * hour)
        #expect(settings.recovery.maxMessagesPerRun == 10)
        let planner = RecoveryPlanner(settings: settings.recovery)
        #expect(planner.decide(cart(idle: 61 * minute), now: testNow) == .send(.firstEmail))
        #expect(planner.decide(cart(idle: 91 * minute, sent: [.firstEmail]), now: testNow) == .send(.push))
    }

    @Test(arguments: [
        (["recovery_push_after": "1h"], "recovery_push_after", "not later than first_email"),
        (["recovery_first_email_percent": "120"], "recovery_first_email_percent", "from 1 to 100"),
        (["recovery_min_cart_value": "12,5"], "recovery_min_cart_value", "such as 25 or 19.99"),
        (["recovery_base_url": "shop.example.com"], "recovery_base_url", "absolute http(s) URL"),
        (["recovery_sender": "Example Shop"], "recovery_sender", "not a display name and an e-mail address"),
        (["recovery_sender": "Shop <a@x.com, b@y.com>"], "recovery_sender", "not a display name and an e-mail address"),
        (["recovery_unsubscribe_mailbox": "unsubscribe"], "recovery_unsubscribe_mailbox", "not an e-mail address"),
    ])
    func badRecoverySettingsNameTheSetting(_ flags: [String: String], _ setting: String, _ phrase: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try SettingsResolver().resolve(flags: flags, environment: [:], file: nil)
        }
        #expect(error?.setting == setting)
        #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "")")
    }

    /// A recovery run that sends refuses the shipped example storefront: which settings are replaced (the rest
    /// keep their example), whether the run is dry or leaves recovery out, and the settings the sentence names.
    @Test(arguments: [
        ([String](), [String: String](), ["recovery_base_url", "recovery_sender", "recovery_unsubscribe_mailbox", "recovery_postal_address"]),
        (["CHECKOUT_NIGHTLY_RECOVERY_BASE_URL", "CHECKOUT_NIGHTLY_RECOVERY_SENDER"], [:], ["recovery_unsubscribe_mailbox", "recovery_postal_address"]),
        (Array(storefrontEnvironment.keys), ["recovery_sender": "Shop <shop@mail.example.org>"], ["recovery_sender"]),
        (Array(storefrontEnvironment.keys), ["recovery_base_url": "https://EXAMPLE.net/"], ["recovery_base_url"]),
        (Array(storefrontEnvironment.keys), ["recovery_unsubscribe_mailbox": "u@shop.example"], ["recovery_unsubscribe_mailbox"]),
        ([], ["dry_run": "true"], []),
        ([], ["only": "stuck-carts,reports"], []),
        (Array(storefrontEnvironment.keys), [:], []),
    ])
    func exampleStorefrontIsRefusedWhenSending(_ replaced: [String], _ flags: [String: String], _ named: [String]) {
        let environment = storefrontEnvironment.filter { replaced.contains($0.key) }
        let resolve = { try SettingsResolver(knownSteps: ["stuck-carts", "expired-sessions", "recovery", "reports"]).resolve(flags: flags, environment: environment, file: nil) }
        guard let first = named.first else {
            #expect(throws: Never.self) { try resolve() }
            return
        }
        let error = #expect(throws: ConfigurationError.self) { try resolve() }
        #expect(error?.setting == first)
        #expect(error?.origin == (flags[first] == nil ? .defaultValue : .commandLine))
        for setting in named { #expect(error?.message.contains(setting) == true, "\(error?.message ?? "")") }
        #expect(error?.message.contains("still the shipped example") == true)
    }
}

@Suite("Discount codes, link tokens and length limits")
struct RecoveryCodeTests {
    @Test func codesUseOnlyTheUnambiguousAlphabet() {
        var generator = SystemRandomNumberGenerator()
        let codes = (0..<20_000).map { _ in DiscountCode.generate(using: &generator) }
        #expect(codes.allSatisfy(DiscountCode.isWellFormed))
        #expect(codes.allSatisfy { $0.range(of: "[0O1IL]", options: .regularExpression) == nil })
        #expect(Set(codes).count == codes.count)
        // Every character of the alphabet turns up: the draw covers it.
        #expect(Set(codes.joined().filter { $0 != "-" }) == Set(DiscountCode.alphabet))
        #expect(DiscountCode.alphabet.count == 31)
    }

    @Test func codesAndTokensComeFromTheInjectedGenerator() {
        var first = SeededGenerator(seed: 7)
        var second = SeededGenerator(seed: 7)
        #expect(DiscountCode.generate(using: &first) == DiscountCode.generate(using: &second))
        #expect(LinkToken.generate(using: &first) == LinkToken.generate(using: &second))
    }

    @Test func tokensAre43Base64URLCharacters() {
        var generator = SystemRandomNumberGenerator()
        let tokens = (0..<1000).map { _ in LinkToken.generate(using: &generator) }
        #expect(tokens.allSatisfy { $0.count == 43 && $0.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil })
        #expect(Set(tokens).count == tokens.count)
    }

    @Test func tokensAreTheBase64URLOfTheirRandomBytes() {
        var generator = SeededGenerator(seed: 11)
        var replay = SeededGenerator(seed: 11)
        for _ in 0..<100 {
            let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: replay.next().littleEndian) { Array($0) } }
            let expected = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(LinkToken.generate(using: &generator) == expected)
        }
    }

    @Test(arguments: [
        ("Short", 10, "Short"),
        ("  padded  ", 10, "padded"),
        ("abcdefghij", 10, "abcdefghij"),
        ("abcdefghijk", 10, "abcdefghi…"),
        ("ab👩‍👩‍👧‍👦cdef", 4, "ab👩‍👩‍👧‍👦…"),
        ("Zoe\u{301}Zoe\u{301}Zoe\u{301}", 4, "Zoe\u{301}…"),
        ("word and more", 6, "word…"),
    ])
    func truncationKeepsWholeGraphemes(_ text: String, _ limit: Int, _ expected: String) {
        let cut = TextLimit.truncate(text, to: limit)
        #expect(cut == expected)
        #expect(cut.count <= limit)
    }
}

@Suite("Prices, percentages, dates and locales")
struct LocalizedFormattingTests {
    let formatting = LocalizedFormatting()

    @Test(arguments: [
        ("en-US", "USD", Decimal(string: "1234.5")!, "$1,234.50"),
        ("de-DE", "EUR", Decimal(string: "1234.5")!, "1.234,50\u{a0}€"),
        ("ja-JP", "JPY", Decimal(1235), "¥1,235"),
        ("ja-JP", "JPY", Decimal(string: "1234.5")!, "¥1,235"),
        ("de-DE", "JPY", Decimal(4800), "4.800\u{a0}¥"),
        ("ja-JP", "EUR", Decimal(string: "19.99")!, "€19.99"),
        ("en-US", "JPY", Decimal(22350), "¥22,350"),
        ("de-DE", "USD", Decimal(string: "0.5")!, "0,50\u{a0}$"),
    ])
    func money(_ locale: String, _ currency: String, _ amount: Decimal, _ expected: String) {
        #expect(formatting.money(amount, currency: currency, locale: locale) == expected)
    }

    @Test(arguments: [("en-US", "5%"), ("de-DE", "5\u{a0}%"), ("ja-JP", "5%")])
    func percent(_ locale: String, _ expected: String) {
        #expect(formatting.percent(5, locale: locale) == expected)
    }

    /// An expiry seven days and 12:05 hours after the test clock, with its time of day and zone.
    @Test(arguments: [
        ("en-US", "Etc/UTC", "December 2 at 2:05\u{202f}PM UTC"), ("de-DE", "Etc/UTC", "2. Dezember um 14:05 UTC"),
        ("ja-JP", "Etc/UTC", "12月2日 14:05 UTC"), ("de-DE", "Europe/Berlin", "2. Dezember um 15:05 MEZ"),
        ("en-US", "America/New_York", "December 2 at 9:05\u{202f}AM EST"),
    ])
    func dateTimes(_ locale: String, _ zone: String, _ expected: String) throws {
        let expiry = testNow.addingTimeInterval(7 * 86400 + 12 * 3600 + 5 * 60)
        let shown = formatting.dateTime(expiry, locale: locale, timeZone: try #require(TimeZone(identifier: zone)))
        #expect(shown == expected, "\(shown.debugDescription)")
    }

    @Test(arguments: [
        ("de-DE", "de-DE"), ("de_de", "de-DE"), ("de-AT", "de-DE"), ("ja", "ja-JP"), ("fr-FR", "en-US"), ("", "en-US"),
        ("en-GB", "en-US"),
    ])
    func localesFallBackToLanguageThenEnglish(_ requested: String, _ expected: String) {
        #expect(MessageLocale.resolve(requested, available: ["en-US", "de-DE", "ja-JP"]) == expected)
    }
}
