import Foundation
import NightlyCore
import Testing
import TestSupport

@Suite("Settings: flags, then environment, then config file, then defaults")
struct SettingsTests {
    let file = try! ConfigFile(
        path: "/etc/checkout-nightly.conf",
        text: """
            # comment
            output = /from/file
            queries = /file/queries
            statement_timeout = 2m
            templates = "/file/templates"
            """)

    @Test func precedence() throws {
        let settings = try SettingsResolver().resolve(
            flags: ["output": "/from/flag"],
            environment: ["CHECKOUT_NIGHTLY_OUTPUT": "/from/env", "CHECKOUT_NIGHTLY_QUERIES": "/env/queries"]
                .merging(storefrontEnvironment) { a, _ in a },
            file: file)
        #expect(settings.outputDirectory == "/from/flag")
        #expect(settings.queriesDirectory == "/env/queries")
        #expect(settings.templatesDirectory == "/file/templates")
        #expect(settings.statementTimeout == .seconds(120))
        #expect(settings.lockTimeout == .seconds(10))
        #expect(settings.metricsDirectory == "/from/flag/metrics")
    }

    @Test func defaults() throws {
        let settings = try SettingsResolver().resolve(flags: ["dry_run": "true"], environment: [:], file: nil)
        var expected = Settings()
        expected.dryRun = true
        #expect(settings == expected)
        #expect(settings.steps == nil, "every step runs")
    }

    @Test func retentionAndStalenessHaveTheirDefaultsAndCanBeSet() throws {
        let defaults = Settings()
        #expect(defaults.retention.outboxContent == 7 * 86400 && defaults.retention.recoveryPersonalData == 180 * 86400)
        #expect(defaults.staleness.staleAfter(step: "stuck-carts") == 1800)
        #expect(defaults.staleness.staleAfter(step: "recovery") == 3600)
        #expect(["expired-sessions", "reports", "publish", "retention"].allSatisfy { defaults.staleness.staleAfter(step: $0) == 26 * 3600 })
        let settings = try SettingsResolver().resolve(
            flags: [:],
            environment: ["CHECKOUT_NIGHTLY_STALE_AFTER_RECOVERY": "2h", "CHECKOUT_NIGHTLY_RETENTION_OUTBOX_CONTENT": "3d"]
                .merging(storefrontEnvironment) { a, _ in a },
            file: try ConfigFile(path: "/etc/c.conf", text: "retention_batch_size = 50\noutbox_max_pending_age = 30m"))
        #expect(settings.staleness.staleAfter(step: "recovery") == 7200)
        #expect(settings.retention.outboxContent == 3 * 86400 && settings.retention.batchSize == 50)
        #expect(settings.staleness.outboxPendingAge == 1800)
    }

    @Test(arguments: [
        (["stale_after_nightly": "soon"], "stale_after_nightly", "positive duration"),
        (["retention_batch_size": "0"], "retention_batch_size", "at least 1"),
        (["now": "yesterday"], "now", "not an ISO 8601 timestamp"),
        (["only": "stuck-carts,nope"], "only", "unknown step \"nope\""),
        (["statement_timeout": "-3s"], "statement_timeout", "positive duration"),
        (["keep_releases": "0"], "keep_releases", "at least 1"),
        (["dry_run": "maybe"], "dry_run", "true or false"),
    ])
    func badValuesNameTheSetting(_ flags: [String: String], _ setting: String, _ phrase: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try SettingsResolver(knownSteps: ["stuck-carts", "reports"]).resolve(flags: flags, environment: [:], file: nil)
        }
        #expect(error?.setting == setting)
        #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "")")
        #expect(error?.origin == .commandLine)
        #expect(error?.description.hasSuffix("(set on the command line)") == true)
    }

    @Test func environmentValuesNameTheVariable() {
        let error = #expect(throws: ConfigurationError.self) {
            try SettingsResolver().resolve(flags: [:], environment: ["CHECKOUT_NIGHTLY_LOCK_TIMEOUT": "soon"], file: nil)
        }
        #expect(error?.origin == .environment("CHECKOUT_NIGHTLY_LOCK_TIMEOUT"))
        #expect(error?.description.contains("CHECKOUT_NIGHTLY_LOCK_TIMEOUT") == true)
    }

    @Test func unknownOrMalformedConfigLinesNameTheLine() throws {
        let unknown = try ConfigFile(path: "c.conf", text: "output = x\nouptut = y\n")
        let error = #expect(throws: ConfigurationError.self) {
            try SettingsResolver().resolve(flags: [:], environment: [:], file: unknown)
        }
        #expect(error?.origin == .file(path: "c.conf", line: 2))
        #expect(error?.description.contains("c.conf:2") == true)
        let malformed = #expect(throws: ConfigurationError.self) { try ConfigFile(path: "c.conf", text: "\njust words") }
        #expect(malformed?.origin == .file(path: "c.conf", line: 2))
    }

    @Test func stepLists() throws {
        let known: [StepName] = ["stuck-carts", "recovery", "reports"]
        #expect(try StepName.parseList("reports, stuck-carts,reports", known: known) == ["stuck-carts", "reports"])
        #expect(throws: ConfigurationError.self) { try StepName.parseList(" , ", known: known) }
    }

    @Test(arguments: [
        ("500ms", 500), ("90s", 90_000), ("10m", 600_000), ("2h", 7_200_000), ("7d", 604_800_000), ("1.5h", 5_400_000),
        (" 30s ", 30_000),
    ])
    func durations(_ text: String, _ milliseconds: Int64) throws {
        #expect(try SettingsResolver.parseDuration(text, "x") == .milliseconds(milliseconds))
    }

    /// The same settings written with LF, CRLF, CR-less last line and a byte order mark.
    @Test(arguments: [
        "output = /o\nlock_timeout = 3s\n",
        "output = /o\r\nlock_timeout = 3s\r\n",
        "\u{FEFF}output = /o\r\nlock_timeout = 3s",
        "\u{FEFF}# a comment\r\noutput = /o\nlock_timeout = 3s\r\n",
    ])
    func lineEndingsAndByteOrderMarkReadAlike(_ text: String) throws {
        let file = try ConfigFile(path: "c.conf", text: text)
        #expect(file.values["output"]?.value == "/o")
        #expect(file.values["lock_timeout"]?.value == "3s")
        let settings = try SettingsResolver().resolve(flags: ["dry_run": "true"], environment: [:], file: file)
        #expect(settings.lockTimeout == .seconds(3))
        #expect(settings.outputDirectory == "/o")
    }

    @Test func aDuplicatedKeyNamesBothLines() {
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigFile(path: "c.conf", text: "output = /a\r\n# again\r\noutput = /b\r\n")
        }
        #expect(error?.setting == "output")
        #expect(error?.origin == .file(path: "c.conf", line: 3))
        #expect(error?.description == "output is set twice, first at c.conf:1; keep one of the two lines (set in c.conf:3)")
    }

    /// Where a hostile value is placed.
    enum Place: Sendable {
        case flag, environment, file
    }

    /// A hostile setting: where it is given, the setting, the value, and a phrase of the sentence (exit 64).
    @Test(arguments: [
        (Place.file, "lock_timeout", "inf", "is not a duration"),
        (Place.environment, "lock_timeout", "nan", "is not a duration"),
        (Place.flag, "lock_timeout", "infs", "positive duration of at least 1ms"),
        (Place.file, "statement_timeout", "30d", "longer than the 2147483647ms (about 25 days)"),
        (Place.environment, "statement_timeout", "30", "has no unit"),
        (Place.file, "statement_timeout", "0s", "at least 1ms"),
        (Place.file, "statement_timeout", "0.4ms", "at least 1ms"),
        (Place.file, "statement_timeout", "1e3s", "positive duration"),
        (Place.file, "statement_timeout", "-5s", "positive duration"),
        (Place.file, "statement_timeout", "0x10s", "positive duration"),
        (Place.environment, "connect_timeout", "500ms", "whole number of seconds of at least 1s"),
        (Place.file, "connect_timeout", "1.5s", "whole number of seconds"),
        (Place.file, "connect_timeout", "0s", "at least 1ms"),
        (Place.file, "session_retention", "99999999999999999999d", "longer than"),
        (Place.environment, "stuck_cart_grace_period", "10", "has no unit"),
        (Place.file, "recovery_code_validity", "1e400d", "positive duration"),
        (Place.environment, "now", "2026-11-25T02:00:00Z", "only be given on the command line"),
        (Place.file, "now", "2026-11-25T02:00:00Z", "only be given on the command line"),
        (Place.file, "expired_session_batch_size", "3000000000", "larger than the 2147483647 it may be at most"),
        (Place.environment, "stuck_cart_batch_size", "2147483648", "larger than the 2147483647 it may be at most"),
        (Place.flag, "retention_batch_size", "9223372036854775807", "larger than the 2147483647 it may be at most"),
        (Place.environment, "stuck_cart_batch_size", "99999999999999999999", "larger than the 2147483647 it may be at most"),
        (Place.file, "recovery_max_messages", "2147483648", "larger than the 2147483647 it may be at most"),
        (Place.file, "output", "/srv/site   # where nginx serves from", "holds \" #\", which would become part of it"),
        (Place.file, "keep_releases", "5 # a week of nights", "move the comment to a line of its own"),
    ])
    func hostileSettingsAreRefusedWithTheirOrigin(_ place: Place, _ setting: String, _ value: String, _ phrase: String) {
        let environmentName = "CHECKOUT_NIGHTLY_" + setting.uppercased()
        let error = #expect(throws: ConfigurationError.self) {
            try SettingsResolver().resolve(
                flags: place == .flag ? [setting: value, "dry_run": "true"] : ["dry_run": "true"],
                environment: place == .environment ? [environmentName: value] : [:],
                file: place == .file ? try ConfigFile(path: "/etc/c.conf", text: "# first\r\n\(setting) = \(value)\r\n") : nil)
        }
        #expect(error?.setting == setting)
        #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "")")
        let origin: SettingOrigin = switch place {
        case .flag: .commandLine
        case .environment: .environment(environmentName)
        case .file: .file(path: "/etc/c.conf", line: 2)
        }
        #expect(error?.origin == origin)
        #expect(error?.description.hasSuffix("(\(origin))") == true)
    }

    @Test func timeoutsAtTheirLimitsAreAccepted() throws {
        let settings = try SettingsResolver().resolve(
            flags: ["dry_run": "true", "statement_timeout": "2147483647ms", "lock_timeout": "1ms", "connect_timeout": "1s"],
            environment: [:], file: nil)
        #expect(settings.statementTimeout == .milliseconds(2_147_483_647))
        #expect(settings.lockTimeout == .milliseconds(1))
        #expect(settings.connectTimeout == 1)
    }

    /// Every whole-number setting reaches SQL as PostgreSQL's `integer`: its largest value is accepted.
    @Test func countsUpToPostgresIntegerAreAccepted() throws {
        let settings = try SettingsResolver().resolve(
            flags: ["dry_run": "true"],
            environment: ["CHECKOUT_NIGHTLY_STUCK_CART_BATCH_SIZE": "2147483647", "CHECKOUT_NIGHTLY_KEEP_RELEASES": "2147483647"],
            file: nil)
        #expect(settings.stuckCarts.batchSize == 2_147_483_647)
        #expect(settings.keepReleases == 2_147_483_647)
    }

    /// A `#` after a blank is refused, never cut off or kept: the sentence does not quote the value (a connection
    /// string may hold a password). Quoted values keep their `#`, and a `#` inside a word is part of the value.
    @Test func aCommentAfterAValueIsRefusedAndQuotedValuesKeepTheirHash() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ConfigFile(path: "c.conf", text: "# settings\ndatabase_url = host=db user=u password=Sum #mer\n")
        }
        #expect(error?.setting == "database_url")
        #expect(error?.origin == .file(path: "c.conf", line: 2))
        #expect(error?.description.contains("mer") == false, "\(error?.description ?? "")")
        let file = try ConfigFile(
            path: "c.conf",
            text: "  # an indented comment\nrecovery_postal_address = \"Shop Inc · 1 Main St #5 · Springfield\"\nrecovery_base_url = https://shop.test/cart#recover\n")
        #expect(file.values["recovery_postal_address"]?.value == "Shop Inc · 1 Main St #5 · Springfield")
        #expect(file.values["recovery_base_url"]?.value == "https://shop.test/cart#recover")
    }

    /// Where each value was given is kept beside the settings (for checks made after resolving) without changing
    /// what compares equal.
    @Test func originsNameWhereEachSettingWasGiven() throws {
        let settings = try SettingsResolver().resolve(
            flags: ["output": "/from/flag", "dry_run": "true"], environment: ["CHECKOUT_NIGHTLY_QUERIES": "/env/queries"],
            file: try ConfigFile(path: "/etc/c.conf", text: "# first\ntemplates = /file/templates\n"))
        #expect(settings.origins["output"] == .commandLine)
        #expect(settings.origins["queries"] == .environment("CHECKOUT_NIGHTLY_QUERIES"))
        #expect(settings.origins["templates"] == .file(path: "/etc/c.conf", line: 2))
        #expect(settings.origins["docs"] == .defaultValue)
        #expect(settings.configurationError("templates", "bad").description == "bad (set in /etc/c.conf:2)")
        var same = Settings()
        (same.outputDirectory, same.queriesDirectory, same.templatesDirectory, same.dryRun) =
            ("/from/flag", "/env/queries", "/file/templates", true)
        #expect(settings == same)
    }

    /// An empty connection URL is no URL from every source: libpq's `PG*` variables (or the primary, for reports).
    @Test func anEmptyDatabaseURLIsNone() throws {
        let settings = try SettingsResolver().resolve(
            flags: ["database_url": "", "dry_run": "true"], environment: ["CHECKOUT_NIGHTLY_REPORT_DATABASE_URL": ""], file: nil)
        #expect(settings.databaseURL == nil && settings.reportDatabaseURL == nil)
    }

    @Test func extraDefinitionsJoinTheResolver() throws {
        let extra = SettingsResolver.Definition(name: "retry_batch_size") { settings, value in
            settings.keepReleases = try SettingsResolver.parseCount(value, "retry_batch_size", minimum: 1)
        }
        let file = try ConfigFile(path: "c.conf", text: "retry_batch_size = 7\n")
        let settings = try SettingsResolver().resolve(
            flags: ["dry_run": "true"], environment: [:], file: file, extraDefinitions: [extra])
        #expect(settings.keepReleases == 7)
        #expect(throws: ConfigurationError.self) {
            try SettingsResolver().resolve(flags: ["dry_run": "true"], environment: [:], file: file)
        }
    }
}
