import Foundation

/// Everything the recovery pass is configured with: the rules of task 2.1 and what the messages need.
public struct RecoverySettings: Sendable, Equatable {
    /// Idle time before the first e-mail.
    public var firstEmailAfter: TimeInterval = 2 * 3600
    /// Idle time before the push message.
    public var pushAfter: TimeInterval = 24 * 3600
    /// Idle time before the second e-mail.
    public var secondEmailAfter: TimeInterval = 72 * 3600
    /// Idle time after which the cart is marked abandoned.
    public var abandonAfter: TimeInterval = 7 * 86400
    /// Discount of the first e-mail's code, in percent.
    public var firstEmailPercent = 5
    /// Discount of the second e-mail's code, in percent.
    public var secondEmailPercent = 10
    /// How long codes and links stay valid.
    public var codeValidity: TimeInterval = 7 * 86400
    /// At most one message per customer within this time, across all carts.
    public var customerCooldown: TimeInterval = 24 * 3600
    /// A stage that fell due longer ago than this is skipped, not sent late.
    public var maxLateness: TimeInterval = 24 * 3600
    /// The customer's local hours without messages; nil (the default) for none.
    public var quietHours: QuietHours?
    /// The zone of a locale region, for customers without `customers.time_zone` (`recovery_time_zones`).
    public var regionTimeZones: [String: TimeZone] = [:]
    /// The share of customers held out of recovery (no messages, their stages recorded) to measure the lift;
    /// 0 switches the holdout off.
    public var holdoutPercent = 5
    /// The largest `holdoutPercent` accepted: past half, the messages would be the control group.
    public static let maxHoldoutPercent = 50
    /// An order within this time of a message converts it.
    public var attributionWindow: TimeInterval = 7 * 86400
    /// At most this many messages per run, so a first run over a large backlog cannot flood the sender.
    public var maxMessagesPerRun = 5000
    /// Carts worth less than this (in their currency) get no message.
    public var minimumCartValue: Decimal = 0
    /// Carts with fewer items than this get no message.
    public var minimumItems = 1
    /// The storefront's base URL; links are `<base>/cart/recover?token=…` and `<base>/unsubscribe?token=…`.
    public var baseURL = "https://shop.example.com"
    /// The `From` of the e-mails, as `Display Name <address>`.
    public var sender = "Example Shop <shop@example.com>"
    /// The mailbox of the `mailto:` unsubscribe.
    public var unsubscribeMailbox = "unsubscribe@shop.example.com"
    /// The sender's postal address, in every e-mail's footer.
    public var postalAddress = "Example Shop GmbH · Musterstraße 1 · 10115 Berlin · Germany"

    public init() {}

    /// The idle time after which `stage` falls due.
    public func delay(of stage: RecoveryStage) -> TimeInterval {
        switch stage {
        case .firstEmail: firstEmailAfter
        case .push: pushAfter
        case .secondEmail: secondEmailAfter
        case .abandon: abandonAfter
        }
    }

    /// The discount a stage's code gives, or nil for stages without a code.
    public func percent(of stage: RecoveryStage) -> Int? {
        switch stage {
        case .firstEmail: firstEmailPercent
        case .secondEmail: secondEmailPercent
        case .push, .abandon: nil
        }
    }

    /// The sender's display name (the part before `<`), or the whole sender when it has none.
    public var senderName: String {
        guard let open = sender.firstIndex(of: "<") else { return sender }
        let name = sender[..<open].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? senderAddress : name
    }

    /// The sender's address (inside `<…>`, or the whole sender).
    public var senderAddress: String {
        guard let open = sender.firstIndex(of: "<"), let close = sender.lastIndex(of: ">"), open < close else {
            return sender.trimmingCharacters(in: .whitespaces)
        }
        return String(sender[sender.index(after: open)..<close])
    }

    private func hours(_ seconds: TimeInterval) -> String { String(format: "%g h", seconds / 3600) }

    /// Throws when the stage delays are not strictly increasing (stages would fall due out of order), or when
    /// `sendsMessages` (a recovery run that is not a dry run) while a storefront setting is still an example.
    public func validate(sendsMessages: Bool = false) throws {
        let delays = RecoveryStage.allCases.map { ($0, delay(of: $0)) }
        for (earlier, later) in zip(delays, delays.dropFirst()) where earlier.1 >= later.1 {
            throw ConfigurationError(
                setting: "recovery_\(later.0.rawValue)_after",
                message: "the recovery stage \(later.0.rawValue) falls due after \(hours(later.1)), which is not later than \(earlier.0.rawValue) (\(hours(earlier.1))); stage delays must increase")
        }
        guard Mailbox.isValid(senderAddress), !senderName.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw ConfigurationError(
                setting: "recovery_sender",
                message: "recovery_sender is \"\(sender)\", which is not a display name and an e-mail address; use a form such as Example Shop <shop@example.com>")
        }
        guard Mailbox.isValid(unsubscribeMailbox) else {
            throw ConfigurationError(
                setting: "recovery_unsubscribe_mailbox",
                message: "recovery_unsubscribe_mailbox is \"\(unsubscribeMailbox)\", which is not an e-mail address such as unsubscribe@shop.example.com")
        }
        guard let url = URL(string: baseURL), url.scheme == "https" || url.scheme == "http", url.host != nil else {
            throw ConfigurationError(
                setting: "recovery_base_url",
                message: "recovery_base_url is \"\(baseURL)\", which is not an absolute http(s) URL such as https://shop.example.com")
        }
        let examples = exampleSettings
        if sendsMessages, let first = examples.first {
            throw ConfigurationError(
                setting: first,
                message: "\(examples.joined(separator: ", ")) \(examples.count == 1 ? "is" : "are") still the shipped example; a recovery run that sends messages needs the shop's own values (or use --dry-run)")
        }
    }

    /// The storefront settings still holding an example value: an example domain (RFC 2606: example.com,
    /// example.net, example.org, .example) in the base URL, sender or unsubscribe mailbox, or the shipped postal
    /// address.
    public var exampleSettings: [String] {
        let defaults = RecoverySettings()
        let host = URL(string: baseURL)?.host ?? baseURL
        let checks: [(String, Bool)] = [
            ("recovery_base_url", Self.isExampleDomain(host)),
            ("recovery_sender", Self.isExampleDomain(Self.domain(of: senderAddress))),
            ("recovery_unsubscribe_mailbox", Self.isExampleDomain(Self.domain(of: unsubscribeMailbox))),
            ("recovery_postal_address", postalAddress == defaults.postalAddress),
        ]
        return checks.filter(\.1).map(\.0)
    }

    private static func domain(of address: String) -> String {
        address.split(separator: "@").last.map(String.init) ?? address
    }

    private static func isExampleDomain(_ host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return ["example.com", "example.net", "example.org", "example"].contains { name == $0 || name.hasSuffix("." + $0) }
    }
}

extension RecoverySettings: SettingsGroup {
    /// The recovery pass's settings (`recovery_*`).
    public static let definitions: [SettingsResolver.Definition] = {
        let delays: [SettingsResolver.Definition] = RecoveryStage.allCases.map { stage in
            let name = "recovery_\(stage.rawValue)_after"
            return SettingsResolver.Definition(name: name) { settings, value in
                let seconds = try interval(value, name)
                switch stage {
                case .firstEmail: settings.recovery.firstEmailAfter = seconds
                case .push: settings.recovery.pushAfter = seconds
                case .secondEmail: settings.recovery.secondEmailAfter = seconds
                case .abandon: settings.recovery.abandonAfter = seconds
                }
            }
        }
        return delays + [
            SettingsResolver.Definition(name: "recovery_first_email_percent") {
                $0.recovery.firstEmailPercent = try percent($1, "recovery_first_email_percent")
            },
            SettingsResolver.Definition(name: "recovery_second_email_percent") {
                $0.recovery.secondEmailPercent = try percent($1, "recovery_second_email_percent")
            },
            SettingsResolver.Definition(name: "recovery_code_validity") {
                $0.recovery.codeValidity = try interval($1, "recovery_code_validity")
            },
            SettingsResolver.Definition(name: "recovery_customer_cooldown") {
                $0.recovery.customerCooldown = try interval($1, "recovery_customer_cooldown")
            },
            SettingsResolver.Definition(name: "recovery_max_lateness") {
                $0.recovery.maxLateness = try interval($1, "recovery_max_lateness")
            },
            SettingsResolver.Definition(name: "recovery_quiet_hours") {
                $0.recovery.quietHours = try QuietHours.parse($1, setting: "recovery_quiet_hours")
            },
            SettingsResolver.Definition(name: "recovery_time_zones") {
                $0.recovery.regionTimeZones = try CustomerTimeZone.parseMap($1, setting: "recovery_time_zones")
            },
            SettingsResolver.Definition(name: "recovery_holdout_percent") { settings, value in
                guard let percent = Int(value), (0...RecoverySettings.maxHoldoutPercent).contains(percent) else {
                    throw ConfigurationError(
                        setting: "recovery_holdout_percent",
                        message: "recovery_holdout_percent is \"\(value)\"; use a whole percentage from 0 (no holdout) to \(RecoverySettings.maxHoldoutPercent)")
                }
                settings.recovery.holdoutPercent = percent
            },
            SettingsResolver.Definition(name: "recovery_attribution_window") {
                $0.recovery.attributionWindow = try interval($1, "recovery_attribution_window")
            },
            SettingsResolver.Definition(name: "recovery_max_messages") {
                $0.recovery.maxMessagesPerRun = try SettingsResolver.parseCount($1, "recovery_max_messages", minimum: 0)
            },
            SettingsResolver.Definition(name: "recovery_min_items") {
                $0.recovery.minimumItems = try SettingsResolver.parseCount($1, "recovery_min_items", minimum: 1)
            },
            SettingsResolver.Definition(name: "recovery_min_cart_value") { settings, value in
                guard let amount = Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")), amount >= 0,
                    !value.contains(",")
                else {
                    throw ConfigurationError(
                        setting: "recovery_min_cart_value",
                        message: "recovery_min_cart_value is \"\(value)\"; use an amount such as 25 or 19.99 (0 for none)")
                }
                settings.recovery.minimumCartValue = amount
            },
            SettingsResolver.Definition(name: "recovery_base_url") {
                $0.recovery.baseURL = try nonBlank($1, "recovery_base_url").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            },
            SettingsResolver.Definition(name: "recovery_sender") { $0.recovery.sender = try nonBlank($1, "recovery_sender") },
            SettingsResolver.Definition(name: "recovery_unsubscribe_mailbox") {
                $0.recovery.unsubscribeMailbox = try nonBlank($1, "recovery_unsubscribe_mailbox")
            },
            SettingsResolver.Definition(name: "recovery_postal_address") {
                $0.recovery.postalAddress = try nonBlank($1, "recovery_postal_address")
            },
        ]
    }()

    /// Checks the stage order and the storefront; a recovery run that sends messages (not a dry run, recovery
    /// selected) also needs the shop's own storefront values.
    public func validate(in settings: Settings, forRun: Bool) throws {
        let runsRecovery = settings.steps?.contains("recovery") ?? true
        try validate(sendsMessages: forRun && !settings.dryRun && runsRecovery)
    }

    private static func interval(_ text: String, _ name: String) throws -> TimeInterval {
        try SettingsResolver.parseDuration(text, name).timeInterval
    }
    private static func percent(_ text: String, _ name: String) throws -> Int {
        let value = try SettingsResolver.parseCount(text, name, minimum: 1)
        guard value <= 100 else {
            throw ConfigurationError(setting: name, message: "\(name) is \"\(text)\"; use a percentage from 1 to 100")
        }
        return value
    }
    private static func nonBlank(_ value: String, _ name: String) throws -> String {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigurationError(setting: name, message: "\(name) is empty")
        }
        return value
    }
}

extension Settings {
    /// The cart recovery pass's rules and message settings.
    public var recovery: RecoverySettings {
        get { self[RecoverySettings.self] }
        set { self[RecoverySettings.self] = newValue }
    }
}
