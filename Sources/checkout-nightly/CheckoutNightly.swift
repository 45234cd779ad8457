import ArgumentParser
import Foundation
import Logging
import NightlyCore
import NightlyJobs
import Postgres

/// The process's logger: logfmt lines on standard error.
let log: Logger = {
    LoggingSystem.bootstrap { _ in LogfmtLogHandler() }
    return Logger(label: "checkout-nightly")
}()

/// The command line: `migrate`, `seed` and `run`. Everything else lives in the NightlyJobs library.
@main
struct CheckoutNightly: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout-nightly",
        abstract: "The nightly batch of the order service: cleanup passes, cart recovery, dashboards and metrics.",
        subcommands: [Migrate.self, Seed.self, Run.self, Explain.self, Forget.self, BenchRender.self])

    @Flag(help: "Print the version, the commit it was built from and where its data is.")
    var version = false

    func run() async throws {
        guard version else { throw CleanExit.helpRequest(self) }
        print(BuildInfo.describe())
    }
}

/// Options every subcommand takes. Each also reads `CHECKOUT_NIGHTLY_<NAME>` and the config file.
struct CommonOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL without a password (default: libpq's PG* variables; passwords go in PGPASSWORD or ~/.pgpass).")
    var databaseURL: String?

    @Option(help: "A config file of `name = value` lines (also CHECKOUT_NIGHTLY_CONFIG).")
    var config: String?

    @Option(help: "The folder of SQL files (default: the installed ones; see --version).")
    var queries: String?

    @Option(help: "Fix the clock, as ISO 8601 (for tests and replays).")
    var now: String?

    /// Resolves settings from these flags and the subcommand's `extraFlags` (keyed by setting name; nil when not
    /// given), then environment, config file and defaults, and checks what they name (`SettingsCheck`); exits 64
    /// on a bad one. `forRun` is true for `run`, which alone needs the checks of a run (the recovery storefront,
    /// the templates, the steps' own checks).
    func settings(adding extraFlags: [String: String?] = [:], forRun: Bool = false) throws -> Settings {
        do {
            let environment = ProcessInfo.processInfo.environment
            let given: [String: String?] = ["database_url": databaseURL, "queries": queries, "now": now]
            // An empty flag (`--output ''`) is a value like any other: refused where the setting needs one.
            let allFlags = given.merging(extraFlags) { a, _ in a }.compactMapValues { $0 }
            for key in ["database_url", "report_database_url"] {
                if let url = allFlags[key], ConnectionStringRedactor.containsPassword(url) {
                    throw ConfigurationError(
                        setting: key,
                        message: "the \(key.replacingOccurrences(of: "_", with: "-")) given on the command line contains a password, which other users can read with ps; put the password in PGPASSWORD or ~/.pgpass instead")
                }
            }
            var file: ConfigFile?
            if let path = config ?? environment["CHECKOUT_NIGHTLY_CONFIG"] {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw ConfigurationError(
                        setting: "config", message: "the config file \(path) cannot be read as UTF-8 text",
                        origin: config == nil ? .environment("CHECKOUT_NIGHTLY_CONFIG") : .commandLine)
                }
                file = try ConfigFile(path: path, text: text)
            }
            let settings = try SettingsResolver(knownSteps: StepList.names).resolve(
                flags: allFlags, environment: environment, file: file, forRun: forRun)
            try forRun ? SettingsCheck.run(settings) : SettingsCheck.command(settings)
            return settings
        } catch let error as ConfigurationError {
            throw fail(NightlyError.configuration(error))
        }
    }
}

/// The templates folder, for the subcommands that render.
struct TemplateOptions: ParsableArguments {
    @Option(help: "A shop's templates folder, over the installed templates for what it lacks.")
    var templates: String?
}

/// Prints one sentence for `error` and returns the exit code to throw.
func fail(_ error: Error) -> ExitCode {
    let nightly: NightlyError
    switch error {
    case let error as NightlyError: nightly = error
    case let error as PostgresError where error.kind == .connection: nightly = .databaseUnreachable(error)
    case let error as ConfigurationError: nightly = .configuration(error)
    default: nightly = .commandFailed(error)
    }
    FileHandle.standardError.write(Data("checkout-nightly: \(nightly)\n".utf8))
    return ExitCode(nightly.exitCode)
}

/// Runs `body`, turning any error into its sentence and exit code.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        throw fail(error)
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply queries/schema/*.sql that are not applied yet (only the batch's own schema where the order service's tables exist).")

    @OptionGroup var options: CommonOptions

    @Flag(help: "Print what would be applied, and change nothing.")
    var dryRun = false

    func run() async throws {
        let settings = try options.settings()
        try await reportingErrors {
            let connection = try Connection(url: settings.databaseURL, connectTimeout: settings.connectTimeout)
            let migrator = Migrator(queries: QueryLibrary(directory: settings.queriesDirectory))
            guard !dryRun else {
                print(try migrator.plan(connection).lines.joined(separator: "\n"))
                return
            }
            let plan = try migrator.migrate(connection)
            log.info(
                plan.isEmpty ? "schema already up to date" : "migrations applied",
                metadata: [
                    "applied": "\(plan.apply.joined(separator: ","))", "count": "\(plan.apply.count)",
                    "recorded_without_running": "\(plan.recordOnly.joined(separator: ","))",
                    "indexes_built": "\(plan.indexes.count)",
                ])
        }
    }
}

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill empty contract tables with realistic, deterministic demo data.")

    @OptionGroup var options: CommonOptions

    @Option(help: "How many carts to create (customers, items and orders follow).")
    var carts: Int = 5000

    @Option(help: "The random seed: the same seed gives the same data.")
    var randomSeed: Int64 = 42

    func run() async throws {
        let settings = try options.settings()
        guard carts > 0 else {
            throw fail(ConfigurationError(setting: "carts", message: "--carts is \(carts); give a positive number"))
        }
        try await reportingErrors {
            let connection = try Connection(url: settings.databaseURL, connectTimeout: settings.connectTimeout)
            let logger = log
            let progress = TerminalProgress()
            let clock = ContinuousClock()
            let start = clock.now
            try Seeder(queries: QueryLibrary(directory: settings.queriesDirectory)).seed(
                connection, carts: carts, now: settings.now ?? Date(), randomSeed: randomSeed
            ) { index, total, file in
                progress.update("seeding [\(index)/\(total)] \(file)")
            }
            progress.finish()
            logger.info(
                "seeded", metadata: ["carts": "\(carts)", "duration_s": "\(String(format: "%.3f", start.duration(to: clock.now).timeInterval))"])
        }
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the nightly batch: passes, reports, site, e-mails and metric files.")

    @OptionGroup var options: CommonOptions

    @Option(help: ArgumentHelp(
        "Run only these steps: \(StepList.names.map(\.rawValue).joined(separator: ", ")) (comma-separated), or all.",
        valueName: "step,…"))
    var only: String?

    @Flag(help: "Plan and render without changing a row.")
    var dryRun = false

    @Option(help: "The output folder (default ./output).")
    var output: String?

    @OptionGroup var rendering: TemplateOptions

    @Option(help: "Where metric files go (default <output>/metrics), e.g. node_exporter's textfile folder.")
    var textfileDir: String?

    @Option(help: "A read replica for the report queries (no password on the command line).")
    var reportDatabaseURL: String?

    func run() async throws {
        let settings = try options.settings(adding: [
            "only": only, "dry_run": dryRun ? "true" : nil, "output": output, "templates": rendering.templates,
            "textfile_dir": textfileDir, "report_database_url": reportDatabaseURL,
        ], forRun: true)
        try await reportingErrors {
            let logger = log
            try await NightlyRun(settings: settings, logger: logger).execute()
            logger.info("run finished", metadata: ["output": "\(settings.outputDirectory)"])
        }
    }
}

struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain one cart's recovery: the facts the rules read, each rule's verdict, the next stage, the messages sent. Read-only.")

    @OptionGroup var options: CommonOptions

    @Option(help: "The cart's id (cart_sessions.id).")
    var cart: String

    @Flag(help: "Print JSON for tools.")
    var json = false

    func run() async throws {
        let settings = try options.settings()
        guard let cartID = UUID(uuidString: cart) else {
            throw fail(ConfigurationError(setting: "cart", message: "--cart is \"\(cart)\", which is not a cart id (a UUID)"))
        }
        try await reportingErrors {
            let explanation = try RecoveryExplainer(settings: settings).explain(cartID: cartID)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(explanation), as: UTF8.self))
            } else {
                print(explanation.text)
            }
        }
    }
}

/// Hidden: measures recovery e-mail rendering (HTML, text part and .eml together) on this machine.
struct BenchRender: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-render", abstract: "Measure how many recovery e-mails a second of rendering produces.",
        shouldDisplay: false)

    @OptionGroup var options: CommonOptions

    @Option(help: "How many e-mails to render.")
    var messages = 2000

    @OptionGroup var rendering: TemplateOptions

    func run() async throws {
        let settings = try options.settings(adding: ["templates": rendering.templates])
        guard messages > 0 else {
            throw fail(ConfigurationError(setting: "messages", message: "--messages is \(messages); give a positive number"))
        }
        try await reportingErrors {
            let result = try await RenderBenchmark.run(
                templatesDirectory: settings.templatesDirectory, messages: messages, settings: settings.recovery)
            print(String(
                format: "rendered %d e-mails (HTML, text and .eml) in %.2f s: %.0f e-mails per second, %.1f KB of .eml each",
                result.messages, result.seconds, result.messagesPerSecond, Double(result.bytes) / Double(result.messages) / 1024))
        }
    }
}
