import Foundation
import NightlyCore
import Testing

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
            environment: ["CHECKOUT_NIGHTLY_OUTPUT": "/from/env", "CHECKOUT_NIGHTLY_QUERIES": "/env/queries"],
            file: file)
        #expect(settings.outputDirectory == "/from/flag")
        #expect(settings.queriesDirectory == "/env/queries")
        #expect(settings.templatesDirectory == "/file/templates")
        #expect(settings.statementTimeout == .seconds(120))
        #expect(settings.lockTimeout == .seconds(10))
        #expect(settings.metricsDirectory == "/from/flag/metrics")
    }

    @Test func defaults() throws {
        let settings = try SettingsResolver().resolve(flags: [:], environment: [:], file: nil)
        #expect(settings == Settings())
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
            environment: ["CHECKOUT_NIGHTLY_STALE_AFTER_RECOVERY": "2h", "CHECKOUT_NIGHTLY_RETENTION_OUTBOX_CONTENT": "3d"],
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
        #expect(error?.message.contains("the command line") == true)
    }

    @Test func environmentValuesNameTheVariable() {
        let error = #expect(throws: ConfigurationError.self) {
            try SettingsResolver().resolve(flags: [:], environment: ["CHECKOUT_NIGHTLY_LOCK_TIMEOUT": "soon"], file: nil)
        }
        #expect(error?.message.contains("CHECKOUT_NIGHTLY_LOCK_TIMEOUT") == true)
    }

    @Test func unknownOrMalformedConfigLinesNameTheLine() throws {
        let unknown = try ConfigFile(path: "c.conf", text: "output = x\nouptut = y\n")
        let error = #expect(throws: ConfigurationError.self) {
            try SettingsResolver().resolve(flags: [:], environment: [:], file: unknown)
        }
        #expect(error?.message.contains("c.conf:2") == true)
        #expect(throws: ConfigurationError.self) { try ConfigFile(path: "c.conf", text: "just words") }
    }

    @Test func stepLists() throws {
        let known: [StepName] = ["stuck-carts", "recovery", "reports"]
        #expect(try StepName.parseList("reports, stuck-carts,reports", known: known) == ["stuck-carts", "reports"])
        #expect(throws: ConfigurationError.self) { try StepName.parseList(" , ", known: known) }
    }

    @Test(arguments: [("500ms", 500), ("90s", 90_000), ("10m", 600_000), ("2h", 7_200_000), ("7d", 604_800_000), ("30", 30_000)])
    func durations(_ text: String, _ milliseconds: Int64) throws {
        #expect(try SettingsResolver.parseDuration(text, "x") == .milliseconds(milliseconds))
    }
}
