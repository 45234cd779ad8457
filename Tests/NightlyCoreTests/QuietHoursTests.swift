import Foundation
import NightlyCore
import Testing
import TestSupport

private let hour: TimeInterval = 3600
private let minute: TimeInterval = 60

/// An instant in UTC, written `yyyy-MM-ddTHH:mm`.
private func utc(_ text: String) -> Date {
    try! Date(text + ":00Z", strategy: .iso8601)
}

@Suite("Recovery quiet hours in the customer's local time")
struct QuietHoursTests {
    let night = QuietHours(start: 21 * 60, end: 8 * 60)

    /// (zone, instant in UTC, quiet?) around both 2026 daylight-saving changes: Europe/Berlin 29 March and
    /// 25 October, America/New_York 8 March and 1 November. The same UTC hour is quiet on one side of a change
    /// and not on the other; the window's ends are inclusive at 21:00 and exclusive at 08:00 local.
    static let instants: [(String, String, Bool)] = [
        ("Europe/Berlin", "2026-03-28T06:30", true),   // 07:30 CET
        ("Europe/Berlin", "2026-03-29T06:30", false),  // 08:30 CEST
        ("Europe/Berlin", "2026-03-28T19:30", false),  // 20:30 CET
        ("Europe/Berlin", "2026-03-29T19:30", true),   // 21:30 CEST
        ("Europe/Berlin", "2026-03-29T00:30", true),   // 01:30 CET, before the gap
        ("Europe/Berlin", "2026-03-29T06:00", false),  // 08:00 CEST: the window has ended
        ("Europe/Berlin", "2026-03-29T05:59", true),   // 07:59 CEST
        ("Europe/Berlin", "2026-10-24T06:30", false),  // 08:30 CEST
        ("Europe/Berlin", "2026-10-25T06:30", true),   // 07:30 CET
        ("Europe/Berlin", "2026-10-25T07:00", false),  // 08:00 CET
        ("Europe/Berlin", "2026-10-24T19:00", true),   // 21:00 CEST: the window has begun
        ("Europe/Berlin", "2026-10-25T19:59", false),  // 20:59 CET
        ("America/New_York", "2026-03-07T12:30", true),   // 07:30 EST
        ("America/New_York", "2026-03-08T12:30", false),  // 08:30 EDT
        ("America/New_York", "2026-03-08T12:00", false),  // 08:00 EDT
        ("America/New_York", "2026-03-08T11:59", true),   // 07:59 EDT
        ("America/New_York", "2026-03-08T01:00", false),  // 20:00 EST, the evening before
        ("America/New_York", "2026-03-09T01:00", true),   // 21:00 EDT
        ("America/New_York", "2026-10-31T12:30", false),  // 08:30 EDT
        ("America/New_York", "2026-11-01T12:30", true),   // 07:30 EST
        ("America/New_York", "2026-11-01T13:00", false),  // 08:00 EST
        ("America/New_York", "2026-11-01T05:30", true),   // 01:30 EDT, the first of the repeated hour
        ("America/New_York", "2026-11-01T06:30", true),   // 01:30 EST, the second
        ("Etc/UTC", "2026-03-29T20:59", false),
        ("Etc/UTC", "2026-03-29T21:00", true),
    ]

    @Test(arguments: instants)
    func theWindowFollowsTheLocalWallClock(_ zone: String, _ instant: String, _ quiet: Bool) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        #expect(night.contains(utc(instant), in: timeZone) == quiet)
    }

    /// A window that does not wrap over midnight.
    @Test(arguments: [("11:59", false), ("12:00", true), ("13:59", true), ("14:00", false)])
    func aDaytimeWindow(_ local: String, _ quiet: Bool) {
        let lunch = QuietHours(start: 12 * 60, end: 14 * 60)
        #expect(lunch.contains(utc("2026-06-01T" + local), in: CustomerTimeZone.utc) == quiet)
    }

    /// A cart whose first e-mail falls due at 22:30 Berlin time waits; the first run after 08:00 sends the latest
    /// stage then due (here the push, due at 08:30 after the first e-mail's delay of 10 h).
    @Test func aStageDueInQuietHoursGoesOutAtTheFirstRunAfterTheWindowAsTheLatestStageDue() throws {
        var settings = RecoverySettings()
        settings.quietHours = night
        settings.firstEmailAfter = 2 * hour
        settings.pushAfter = 12 * hour
        let planner = RecoveryPlanner(settings: settings)
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let activity = utc("2026-10-24T18:30")  // 20:30 CEST
        let customer = RecoveryCustomer(
            id: UUID(), email: "jonas@example.de", firstName: "Jonas", locale: "de-DE", marketingOptIn: true,
            pushEnabled: true, timeZone: berlin)
        let cart = RecoveryCart(
            id: UUID(), version: 1, currency: "EUR", lastActivity: activity, itemCount: 1, value: 20, customer: customer)
        let runs: [(String, RecoveryDecision)] = [
            ("2026-10-24T20:45", .hold(.quietHours)),  // 22:45 CEST, first e-mail due
            ("2026-10-25T06:45", .hold(.quietHours)),  // 07:45 CET, push due
            ("2026-10-25T07:00", .send(.push)),        // 08:00 CET
        ]
        for (instant, expected) in runs {
            #expect(planner.decide(cart, now: utc(instant)) == expected, "\(instant)")
        }
        var elsewhere = cart
        elsewhere.customer?.timeZone = CustomerTimeZone.utc
        #expect(planner.decide(elsewhere, now: utc("2026-10-24T20:45")) == .send(.firstEmail))
    }

    @Test func quietHoursAreOffByDefault() throws {
        let settings = try SettingsResolver().resolve(flags: [:], environment: [:], file: nil, forRun: false)
        #expect(settings.recovery.quietHours == nil)
        #expect(settings.recovery.regionTimeZones.isEmpty)
    }

    @Test(arguments: [
        ("21:00-08:00", QuietHours(start: 1260, end: 480)), ("off", nil), (" 12:30 - 14:00 ", QuietHours(start: 750, end: 840)),
    ])
    func quietHoursAreRead(_ text: String, _ expected: QuietHours?) throws {
        let settings = try SettingsResolver().resolve(flags: ["recovery_quiet_hours": text], environment: [:], file: nil, forRun: false)
        #expect(settings.recovery.quietHours == expected)
    }

    @Test(arguments: [
        ("recovery_quiet_hours", "21-8"), ("recovery_quiet_hours", "21:00-21:00"), ("recovery_quiet_hours", "24:00-08:00"),
        ("recovery_time_zones", "DE=Europe/Berlinn"), ("recovery_time_zones", "Germany=Europe/Berlin"),
        ("recovery_time_zones", "DE"),
    ])
    func badValuesNameTheSetting(_ setting: String, _ value: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try SettingsResolver().resolve(flags: [setting: value], environment: [:], file: nil, forRun: false)
        }
        #expect(error?.setting == setting)
        #expect(error?.message.contains(value) == true, "\(error?.message ?? "")")
    }

    /// (time_zone column, locale, expected zone) with the map DE=Europe/Berlin, US=America/New_York.
    static let zones: [(String?, String, String)] = [
        ("Asia/Tokyo", "de-DE", "Asia/Tokyo"),
        (nil, "de-DE", "Europe/Berlin"),
        ("", "en-US", "America/New_York"),
        ("Mars/Olympus", "de-AT", "Etc/UTC"),
        (nil, "ja-JP", "Etc/UTC"),
        (nil, "", "Etc/UTC"),
        (nil, "de_DE", "Europe/Berlin"),
    ]

    @Test(arguments: zones)
    func theZoneComesFromTheColumnThenTheLocaleRegionThenUTC(_ column: String?, _ locale: String, _ expected: String) throws {
        let map = try CustomerTimeZone.parseMap("de=Europe/Berlin, US=America/New_York", setting: "recovery_time_zones")
        #expect(CustomerTimeZone.resolve(column: column, locale: locale, regionZones: map).identifier == expected)
    }
}
