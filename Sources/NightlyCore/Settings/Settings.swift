import Foundation

/// Everything a run is configured with, after flags, environment, config file and defaults are combined.
public struct Settings: Sendable, Equatable {
    /// Where the passes connect (the primary); nil means libpq's `PG*` variables.
    public var databaseURL: String?
    /// Where the report queries connect (a replica is fine); nil means the same as `databaseURL`.
    public var reportDatabaseURL: String?
    public var outputDirectory = "output"
    /// Defaults to the installed data (`DataLocation`), as do `templatesDirectory` and `docsDirectory`.
    public var queriesDirectory = DataLocation.current.queries
    /// A shop's own templates; what they lack comes from the installed ones (`templateDirectories`).
    public var templatesDirectory = DataLocation.current.templates
    /// node_exporter's textfile folder; nil means `<output>/metrics`.
    public var textfileDirectory: String?
    /// The fixed clock for tests and replays; nil means the system clock.
    public var now: Date?
    public var dryRun = false
    /// The steps `--only` selected, in run order; nil runs every step.
    public var steps: [StepName]?
    /// Seconds to wait for the database server to answer a connection.
    public var connectTimeout = 10
    /// How long one statement may run.
    public var statementTimeout: Duration = .seconds(300)
    /// How long a statement may wait for a row or table lock.
    public var lockTimeout: Duration = .seconds(10)
    /// How many published outputs to keep (the current one included).
    public var keepReleases = 3
    /// The cart recovery pass's rules and message settings.
    public var recovery = RecoverySettings()
    /// The reports' window in days: trends, funnel and success metrics cover the days before the run's clock.
    public var reportWindowDays = 30
    /// The folder holding `runbook.md`, which the site links from the reconciliation page.
    public var docsDirectory = DataLocation.current.docs
    /// How long a cart in checkout with an order must be untouched before the stuck-cart pass cleans it.
    public var stuckCartGracePeriod: Duration = .seconds(600)
    /// Carts per transaction of the stuck-cart pass.
    public var stuckCartBatchSize = 100
    /// When the stuck-cart pass stops starting new batches.
    public var stuckCartTimeLimit: Duration = .seconds(60)
    /// How long past `expires_at` a session is kept before the expired-session pass deletes it.
    public var sessionRetention: Duration = .seconds(7 * 86400)
    /// Sessions per transaction of the expired-session pass.
    public var expiredSessionBatchSize = 1000
    /// When the expired-session pass stops starting new batches.
    public var expiredSessionTimeLimit: Duration = .seconds(300)
    /// How long personal data and releases are kept (the retention step).
    public var retention = RetentionSettings()
    /// When the alerts call a step or the outbox stale.
    public var staleness = StalenessSettings()

    public init() {}

    /// The folder metric files are written to.
    public var metricsDirectory: String { textfileDirectory ?? outputDirectory + "/metrics" }
}

/// Combines settings from their sources, highest precedence first: command-line flags, environment
/// (`CHECKOUT_NIGHTLY_<NAME>`), config file, defaults. Every value is validated; a bad one names its source.
public struct SettingsResolver: Sendable {
    /// One configurable setting: its name in the config file and how to apply a text value.
    struct Definition: Sendable {
        let name: String
        let apply: @Sendable (inout Settings, String) throws -> Void

        var environmentName: String {
            "CHECKOUT_NIGHTLY_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
        }
    }

    static let definitions: [Definition] = [
        Definition(name: "database_url") { $0.databaseURL = $1 },
        Definition(name: "report_database_url") { $0.reportDatabaseURL = $1 },
        Definition(name: "output") { $0.outputDirectory = try nonEmpty($1, "output") },
        Definition(name: "queries") { $0.queriesDirectory = try nonEmpty($1, "queries") },
        Definition(name: "templates") { $0.templatesDirectory = try nonEmpty($1, "templates") },
        Definition(name: "textfile_dir") { $0.textfileDirectory = try nonEmpty($1, "textfile_dir") },
        Definition(name: "now") { settings, text in
            guard let date = ISO8601Timestamp.parse(text) else {
                throw ConfigurationError(
                    setting: "now",
                    message: "now is \"\(text)\", which is not an ISO 8601 timestamp such as 2026-11-25T02:00:00Z")
            }
            settings.now = date
        },
        Definition(name: "dry_run") { $0.dryRun = try parseBool($1, "dry_run") },
        Definition(name: "connect_timeout") {
            $0.connectTimeout = Int(try parseDuration($1, "connect_timeout").components.seconds)
        },
        Definition(name: "statement_timeout") { $0.statementTimeout = try parseDuration($1, "statement_timeout") },
        Definition(name: "lock_timeout") { $0.lockTimeout = try parseDuration($1, "lock_timeout") },
        Definition(name: "keep_releases") { $0.keepReleases = try parseCount($1, "keep_releases", minimum: 1) },
        Definition(name: "report_window_days") { settings, text in
            settings.reportWindowDays = try parseCount(text, "report_window_days", minimum: 1)
            guard settings.reportWindowDays <= 366 else {
                throw ConfigurationError(
                    setting: "report_window_days", message: "report_window_days is \"\(text)\"; use at most 366 days")
            }
        },
        Definition(name: "docs") { $0.docsDirectory = try nonEmpty($1, "docs") },
        Definition(name: "stuck_cart_grace_period") {
            $0.stuckCartGracePeriod = try parseDuration($1, "stuck_cart_grace_period")
        },
        Definition(name: "stuck_cart_batch_size") {
            $0.stuckCartBatchSize = try parseCount($1, "stuck_cart_batch_size", minimum: 1)
        },
        Definition(name: "stuck_cart_time_limit") { $0.stuckCartTimeLimit = try parseDuration($1, "stuck_cart_time_limit") },
        Definition(name: "session_retention") { $0.sessionRetention = try parseDuration($1, "session_retention") },
        Definition(name: "expired_session_batch_size") {
            $0.expiredSessionBatchSize = try parseCount($1, "expired_session_batch_size", minimum: 1)
        },
        Definition(name: "expired_session_time_limit") {
            $0.expiredSessionTimeLimit = try parseDuration($1, "expired_session_time_limit")
        },
    ] + recoveryDefinitions + retentionDefinitions + stalenessDefinitions

    /// The steps this build can run, in run order: what `only` may name.
    public let knownSteps: [StepName]

    public init(knownSteps: [StepName] = []) {
        self.knownSteps = knownSteps
    }

    /// Every setting: the fixed ones, and `only`, which chooses among the known steps.
    private var allDefinitions: [Definition] {
        Self.definitions + [Definition(name: "only") { [knownSteps] in $0.steps = try StepName.parseList($1, known: knownSteps) }]
    }

    /// The setting names a config file may use.
    public var settingNames: [String] { allDefinitions.map(\.name) }

    /// Resolves settings. `flags` and `file` are keyed by setting name; `environment` is the process environment.
    public func resolve(flags: [String: String], environment: [String: String], file: ConfigFile?) throws -> Settings {
        if let file {
            for (name, entry) in file.values where !settingNames.contains(name) {
                throw ConfigurationError(
                    setting: name,
                    message: "\(file.path):\(entry.line) sets unknown setting \"\(name)\"; known settings: \(settingNames.joined(separator: ", "))")
            }
        }
        var settings = Settings()
        for definition in allDefinitions {
            let value: String
            let origin: String
            if let flag = flags[definition.name] {
                (value, origin) = (flag, "on the command line")
            } else if let env = environment[definition.environmentName] {
                (value, origin) = (env, "in " + definition.environmentName)
            } else if let entry = file?.values[definition.name] {
                (value, origin) = (entry.value, "in \(file!.path):\(entry.line)")
            } else {
                continue
            }
            do {
                try definition.apply(&settings, value)
            } catch var error as ConfigurationError {
                error.message += " (set \(origin))"
                throw error
            }
        }
        try settings.recovery.validate()
        return settings
    }

    private static func nonEmpty(_ text: String, _ name: String) throws -> String {
        guard !text.isEmpty else { throw ConfigurationError(setting: name, message: "\(name) is empty; give a folder path") }
        return text
    }

    private static func parseBool(_ text: String, _ name: String) throws -> Bool {
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default:
            throw ConfigurationError(setting: name, message: "\(name) is \"\(text)\"; use true or false")
        }
    }

    /// Parses a whole number no smaller than `minimum`.
    public static func parseCount(_ text: String, _ name: String, minimum: Int) throws -> Int {
        guard let value = Int(text), value >= minimum else {
            throw ConfigurationError(setting: name, message: "\(name) is \"\(text)\"; use a whole number of at least \(minimum)")
        }
        return value
    }

    /// A setting holding a duration (see `parseDuration`) in seconds at `keyPath`.
    static func duration(_ name: String, _ keyPath: WritableKeyPath<Settings, TimeInterval> & Sendable) -> Definition {
        Definition(name: name) { $0[keyPath: keyPath] = try parseDuration($1, name).timeInterval }
    }

    /// Parses `500ms`, `90s`, `10m`, `2h`, `7d`, or a bare number of seconds.
    public static func parseDuration(_ text: String, _ name: String) throws -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            if let number = Double(trimmed.dropLast(suffix.count)), number > 0 {
                return .milliseconds(Int64((number * scale * 1000).rounded()))
            }
        }
        if let number = Double(trimmed), number > 0 { return .milliseconds(Int64((number * 1000).rounded())) }
        throw ConfigurationError(
            setting: name, message: "\(name) is \"\(text)\"; use a positive duration such as 500ms, 90s, 10m, 2h or 7d")
    }
}

/// A `key = value` config file; `#` starts a comment.
public struct ConfigFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var value: String
        public var line: Int
    }

    public var path: String
    public var values: [String: Entry]

    /// Parses `text` read from `path`; a line that is not `key = value` is an error naming the line.
    public init(path: String, text: String) throws {
        self.path = path
        var values: [String: Entry] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(
                    setting: "config", message: "\(path):\(offset + 1) is not of the form key = value: \"\(line)\"")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            values[key] = Entry(value: value, line: offset + 1)
        }
        self.values = values
    }
}

/// ISO 8601 timestamps as used on the command line (`--now`).
public enum ISO8601Timestamp {
    /// Parses `2026-11-25T02:00:00Z`, with or without fractional seconds, or with an offset.
    public static func parse(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return withFraction.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    /// Formats as `2026-11-25T02:00:00Z`.
    public static func format(_ date: Date) -> String { date.formatted(.iso8601) }
}
