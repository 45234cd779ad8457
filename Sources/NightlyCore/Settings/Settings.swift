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
    /// The reports' window in days: trends, funnel and success metrics cover the days before the run's clock.
    public var reportWindowDays = 30
    /// The folder holding `runbook.md`, which the site links from the reconciliation page.
    public var docsDirectory = DataLocation.current.docs
    /// When the alerts call a step or the outbox stale.
    public var staleness = StalenessSettings()
    /// Where each setting was given (flag, variable, file line), for checks made after resolving.
    public var origins = SettingOrigins()
    /// The steps' own settings groups, each read through `self[Group.self]` or the group's property.
    private var groups = SettingsGroups()

    public init() {}

    /// The folder metric files are written to.
    public var metricsDirectory: String { textfileDirectory ?? outputDirectory + "/metrics" }

    /// A bad value of `setting` found after resolving: `message`, ending with where the setting was given.
    public func configurationError(_ setting: String, _ message: String) -> ConfigurationError {
        ConfigurationError(setting: setting, message: message, origin: origins[setting])
    }

    /// A step's settings group: the value resolved for it, or its defaults.
    public subscript<Group: SettingsGroup>(_ group: Group.Type) -> Group {
        get { groups[group] }
        set { groups[group] = newValue }
    }
}

/// Combines settings from their sources, highest precedence first: command-line flags, environment
/// (`CHECKOUT_NIGHTLY_<NAME>`), config file, defaults. Every value is validated; a bad one names its origin.
public struct SettingsResolver: Sendable {
    /// One configurable setting: its name in the config file and how to apply a text value. Groups of
    /// definitions (one per pass, say) are concatenated into the list the resolver reads.
    public struct Definition: Sendable {
        public let name: String
        /// True for a setting only the command line may give (`now`): a value in the environment or a config
        /// file is refused, so that a forgotten line can never move the run's clock.
        public let commandLineOnly: Bool
        let apply: @Sendable (inout Settings, String) throws -> Void

        public init(
            name: String, commandLineOnly: Bool = false, apply: @escaping @Sendable (inout Settings, String) throws -> Void
        ) {
            self.name = name
            self.commandLineOnly = commandLineOnly
            self.apply = apply
        }

        public var environmentName: String {
            "CHECKOUT_NIGHTLY_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
        }
    }

    /// PostgreSQL's limit for `statement_timeout` and `lock_timeout`: a 32-bit count of milliseconds.
    public static let postgresTimeoutLimit = Duration.milliseconds(Int64(Int32.max))
    /// The longest duration any other setting takes (ten years): beyond it, dates would overflow.
    public static let durationLimit = Duration.seconds(3650 * 86400)

    static let definitions: [Definition] = [
        // An empty URL is no URL, from every source: libpq's `PG*` variables, or the primary's for the reports.
        Definition(name: "database_url") { $0.databaseURL = $1.isEmpty ? nil : $1 },
        Definition(name: "report_database_url") { $0.reportDatabaseURL = $1.isEmpty ? nil : $1 },
        Definition(name: "output") { $0.outputDirectory = try nonEmpty($1, "output") },
        Definition(name: "queries") { $0.queriesDirectory = try nonEmpty($1, "queries") },
        Definition(name: "templates") { $0.templatesDirectory = try nonEmpty($1, "templates") },
        Definition(name: "textfile_dir") { $0.textfileDirectory = try nonEmpty($1, "textfile_dir") },
        Definition(name: "now", commandLineOnly: true) { settings, text in
            guard let date = ISO8601Timestamp.parse(text) else {
                throw ConfigurationError(
                    setting: "now",
                    message: "now is \"\(text)\", which is not an ISO 8601 timestamp such as 2026-11-25T02:00:00Z")
            }
            settings.now = date
        },
        Definition(name: "dry_run") { $0.dryRun = try parseBool($1, "dry_run") },
        Definition(name: "connect_timeout") { $0.connectTimeout = try parseWholeSeconds($1, "connect_timeout") },
        Definition(name: "statement_timeout") {
            $0.statementTimeout = try parseDuration($1, "statement_timeout", limit: postgresTimeoutLimit)
        },
        Definition(name: "lock_timeout") {
            $0.lockTimeout = try parseDuration($1, "lock_timeout", limit: postgresTimeoutLimit)
        },
        Definition(name: "keep_releases") { $0.keepReleases = try parseCount($1, "keep_releases", minimum: 1) },
        Definition(name: "report_window_days") { settings, text in
            settings.reportWindowDays = try parseCount(text, "report_window_days", minimum: 1)
            guard settings.reportWindowDays <= 366 else {
                throw ConfigurationError(
                    setting: "report_window_days", message: "report_window_days is \"\(text)\"; use at most 366 days")
            }
        },
        Definition(name: "docs") { $0.docsDirectory = try nonEmpty($1, "docs") },
    ] + stalenessDefinitions

    /// The steps this build can run, in run order: what `only` may name.
    public let knownSteps: [StepName]
    /// The steps' settings groups (`StepList.settingsGroups`), read beside the run-wide settings.
    public let groups: [any SettingsGroup.Type]

    /// A resolver for `knownSteps` and the settings `groups` their steps declare. NightlyJobs' `StepList`
    /// provides both (`SettingsResolver(knownSteps:)` there), so that a new step's settings need no edit here.
    public init(knownSteps: [StepName], groups: [any SettingsGroup.Type]) {
        self.knownSteps = knownSteps
        self.groups = groups
    }

    /// Every setting: the run-wide ones, the groups', and `only`, which chooses among the known steps.
    private var allDefinitions: [Definition] {
        Self.definitions + groups.flatMap { $0.definitions }
            + [Definition(name: "only") { [knownSteps] in $0.steps = try StepName.parseList($1, known: knownSteps) }]
    }

    /// The setting names a config file may use.
    public var settingNames: [String] { allDefinitions.map(\.name) }

    /// Resolves settings. `flags` and `file` are keyed by setting name; `environment` is the process environment;
    /// `extraDefinitions` are settings groups contributed from elsewhere (a pass's own settings). `forRun` is false
    /// for the commands that run no step (`migrate`, `seed`), which skip the checks only a run needs.
    public func resolve(
        flags: [String: String], environment: [String: String], file: ConfigFile?,
        extraDefinitions: [Definition] = [], forRun: Bool = true
    ) throws -> Settings {
        let definitions = allDefinitions + extraDefinitions
        let names = definitions.map(\.name)
        if let file {
            for (name, entry) in file.values.sorted(by: { $0.value.line < $1.value.line }) where !names.contains(name) {
                throw ConfigurationError(
                    setting: name,
                    message: "unknown setting \"\(name)\" in the config file; known settings: \(names.joined(separator: ", "))",
                    origin: .file(path: file.path, line: entry.line))
            }
        }
        var settings = Settings()
        for definition in definitions {
            let value: String
            let origin: SettingOrigin
            if let flag = flags[definition.name] {
                (value, origin) = (flag, .commandLine)
            } else if let env = environment[definition.environmentName] {
                (value, origin) = (env, .environment(definition.environmentName))
            } else if let file, let entry = file.values[definition.name] {
                (value, origin) = (entry.value, .file(path: file.path, line: entry.line))
            } else {
                continue
            }
            if definition.commandLineOnly, origin != .commandLine {
                throw ConfigurationError(
                    setting: definition.name,
                    message: "\(definition.name) may only be given on the command line (--\(definition.name.replacingOccurrences(of: "_", with: "-"))), never in the environment or a config file, so that a forgotten setting cannot move the run; remove it there",
                    origin: origin)
            }
            do {
                try definition.apply(&settings, value)
            } catch var error as ConfigurationError {
                error.origin = origin
                throw error
            }
            settings.origins[definition.name] = origin
        }
        for group in groups {
            do {
                try Self.validate(group, in: settings, forRun: forRun)
            } catch var error as ConfigurationError {
                error.origin = settings.origins[error.setting]
                throw error
            }
        }
        return settings
    }

    private static func validate<Group: SettingsGroup>(_ group: Group.Type, in settings: Settings, forRun: Bool) throws {
        try settings[group].validate(in: settings, forRun: forRun)
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

    /// The largest whole number a setting takes: PostgreSQL's `integer`, which batch sizes and caps are bound as.
    public static let countLimit = Int(Int32.max)

    /// Parses a whole number no smaller than `minimum` and no larger than `countLimit` (digits beyond `Int` are
    /// too large, not "not a number").
    public static func parseCount(_ text: String, _ name: String, minimum: Int) throws -> Int {
        let digitsOnly = !text.isEmpty && text.allSatisfy { ("0"..."9").contains($0) }
        guard let value = Int(text) ?? (digitsOnly ? Int.max : nil), value >= minimum else {
            throw ConfigurationError(setting: name, message: "\(name) is \"\(text)\"; use a whole number of at least \(minimum)")
        }
        guard value <= countLimit else {
            throw ConfigurationError(
                setting: name,
                message: "\(name) is \"\(text)\", larger than the \(countLimit) it may be at most (PostgreSQL's integer); use a smaller number")
        }
        return value
    }

    /// A setting holding a duration (see `parseDuration`) in seconds at `keyPath`.
    static func duration(_ name: String, _ keyPath: WritableKeyPath<Settings, TimeInterval> & Sendable) -> Definition {
        Definition(name: name) { $0[keyPath: keyPath] = try parseDuration($1, name).timeInterval }
    }

    /// A setting holding a duration (see `parseDuration`) at `keyPath`.
    static func duration(_ name: String, _ keyPath: WritableKeyPath<Settings, Duration> & Sendable) -> Definition {
        Definition(name: name) { $0[keyPath: keyPath] = try parseDuration($1, name) }
    }

    /// A setting holding a whole number of at least `minimum` at `keyPath`.
    static func count(_ name: String, _ keyPath: WritableKeyPath<Settings, Int> & Sendable, minimum: Int) -> Definition {
        Definition(name: name) { $0[keyPath: keyPath] = try parseCount($1, name, minimum: minimum) }
    }

    /// Parses `500ms`, `90s`, `10m`, `2h` or `7d` (a unit is required; decimals such as `1.5h` are fine) into a
    /// duration of at least one millisecond and at most `limit`.
    public static func parseDuration(_ text: String, _ name: String, limit: Duration = durationLimit) throws -> Duration {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let example = "such as 500ms, 90s, 10m, 2h or 7d"
        guard let unit = units.first(where: { trimmed.hasSuffix($0.suffix) }) else {
            let reason = isDecimal(Substring(trimmed)) ? "has no unit" : "is not a duration"
            throw ConfigurationError(
                setting: name, message: "\(name) is \"\(text)\", which \(reason); use a positive duration \(example)")
        }
        let number = trimmed.dropLast(unit.suffix.count)
        guard isDecimal(number), let value = Double(number), (value * unit.milliseconds).rounded() >= 1 else {
            throw ConfigurationError(
                setting: name, message: "\(name) is \"\(text)\"; use a positive duration of at least 1ms, \(example)")
        }
        let milliseconds = (value * unit.milliseconds).rounded()
        let limitMilliseconds = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
        guard milliseconds <= Double(limitMilliseconds) else {
            throw ConfigurationError(
                setting: name,
                message: "\(name) is \"\(text)\", longer than the \(limitMilliseconds)ms (\(describe(limit))) it may be at most; use a shorter duration")
        }
        return .milliseconds(Int64(milliseconds))
    }

    /// Parses a duration that libpq takes in whole seconds (`connect_timeout`): at least 1s, since libpq reads 0
    /// as "wait forever", and a whole number of seconds, since libpq would drop the fraction.
    static func parseWholeSeconds(_ text: String, _ name: String) throws -> Int {
        let duration = try parseDuration(text, name, limit: .seconds(Int64(Int32.max)))
        guard duration >= .seconds(1), duration.components.attoseconds == 0 else {
            throw ConfigurationError(
                setting: name,
                message: "\(name) is \"\(text)\"; libpq waits whole seconds and reads 0 as wait forever, so use a whole number of seconds of at least 1s, such as 10s")
        }
        return Int(duration.components.seconds)
    }

    /// Digits with at most one decimal point: no sign, exponent, `inf` or `nan`.
    private static func isDecimal(_ text: Substring) -> Bool {
        text.contains(where: \.isNumber) && text.filter { $0 == "." }.count <= 1
            && text.allSatisfy { $0 == "." || ("0"..."9").contains($0) }
    }

    /// A limit in words: `about 25 days`, `10 years`.
    private static func describe(_ limit: Duration) -> String {
        let days = Double(limit.components.seconds) / 86400
        return days >= 365 ? "\(Int(days / 365)) years" : String(format: "about %.0f days", days)
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
