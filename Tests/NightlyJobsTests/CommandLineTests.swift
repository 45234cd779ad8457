import Foundation
import NightlyCore
import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("The command line: exit codes and messages")
struct CommandLineTests {
    /// Runs the batch with a storefront of its own (a run that sends refuses the shipped examples).
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessOutput {
        try runProcess(
            try checkoutNightlyBinary(), arguments, environment: storefrontEnvironment.merging(environment) { _, new in new },
            currentDirectory: Repository.root)
    }

    @Test func successIsZero() throws {
        let database = try TestDatabase.seeded(carts: 100, now: testNow)
        let output = try makeTemporaryDirectory("cli")
        let result = try run(["run", "--database-url", database.url, "--output", output.path, "--now", "2025-11-25T02:00:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("msg=\"step finished\""))
        #expect(result.stderr.contains("step=reports"))
        // Configure, connect, every step of the step list, render, publish.
        #expect(result.stderr.contains("msg=\"[2/\(StepList.all.count + 4)] connect\""))
    }

    @Test func badConfigurationIs64AndNamesTheSetting() throws {
        let unknown = try run(["run", "--only", "stuck-carts,teleport"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown step \"teleport\""))
        let database = try TestDatabase.create()
        let ahead = try run(["run", "--database-url", database.url, "--output", try makeTemporaryDirectory("cli").path,
                             "--now", ISO8601Timestamp.format(Date().addingTimeInterval(3600))])
        #expect(ahead.status == 64, "\(ahead.stderr)")
        #expect(ahead.stderr.contains("ahead of the database's clock"))
        let badClock = try run(["run", "--now", "tomorrow"])
        #expect(badClock.status == 64)
        #expect(badClock.stderr.contains("ISO 8601"))
    }

    /// A textfile folder the run could not write is refused with the settings, before any pass runs (found at the
    /// end, the passes would have sent their messages first): exit 64 naming the setting, its flag and its origin.
    @Test func anUnwritableTextfileFolderIs64BeforeAnyPass() throws {
        let database = try TestDatabase.create()
        let output = try makeTemporaryDirectory("cli")
        let notAFolder = output.appendingPathComponent("textfile.prom")
        try Data().write(to: notAFolder)
        let cases: [(flags: [String], environment: [String: String], problem: String, origin: String)] = [
            (["--textfile-dir", "/nonexistent/node-exporter"], [:], "does not exist", "set on the command line"),
            ([], ["CHECKOUT_NIGHTLY_TEXTFILE_DIR": notAFolder.path], "is not a folder", "set in CHECKOUT_NIGHTLY_TEXTFILE_DIR"),
        ]
        for (flags, environment, problem, origin) in cases {
            let result = try run(["run", "--database-url", database.url, "--output", output.path] + flags, environment: environment)
            #expect(result.status == 64, "\(result.stderr)")
            #expect(result.stderr.contains("textfile_dir (--textfile-dir)"), "\(result.stderr)")
            #expect(result.stderr.contains(problem) && result.stderr.contains(origin), "\(result.stderr)")
        }
        let runs = try database.connect().queryFirst(
            SQLStatement("SELECT count(*)::bigint AS runs FROM checkout_nightly.runs", source: "test")
        ) { try $0.decode("runs", as: Int.self) }
        #expect(runs == 0, "a run started although its textfile folder was unwritable")
    }

    /// An empty value is refused from every source alike (`--output ''` used to be dropped silently while an
    /// empty `CHECKOUT_NIGHTLY_OUTPUT` exited 64).
    @Test func anEmptyOutputIsRefusedFromEverySource() throws {
        let flag = try run(["run", "--dry-run", "--output", ""])
        let variable = try run(["run", "--dry-run"], environment: ["CHECKOUT_NIGHTLY_OUTPUT": ""])
        for (result, origin) in [(flag, "(set on the command line)"), (variable, "(set in CHECKOUT_NIGHTLY_OUTPUT)")] {
            #expect(result.status == 64, "\(result.stderr)")
            #expect(result.stderr.contains("configuration: output is empty; give a folder path \(origin)"), "\(result.stderr)")
        }
    }

    @Test func aPasswordOnTheCommandLineIsRefusedAndNeverEchoed() throws {
        let result = try run(["run", "--database-url", "postgres://checkout:Hunter2Secret@db.internal/orders"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("PGPASSWORD"))
        #expect(!result.stderr.contains("Hunter2Secret"))
    }

    @Test func anUnreachableDatabaseIs69() throws {
        let output = try makeTemporaryDirectory("cli")
        let result = try run(
            ["run", "--output", output.path],
            environment: ["PGHOST": "/nonexistent-socket-folder", "PGCONNECT_TIMEOUT": "2"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("database unreachable"))
        // The failure is visible to node_exporter, not just absent.
        let metrics = try String(contentsOf: output.appendingPathComponent("metrics/checkout_nightly_reports.prom"), encoding: .utf8)
        #expect(metrics.contains("checkout_nightly_step_outcome{outcome=\"failed\",step=\"reports\"} 1"))
    }

    @Test func anOldSchemaIsOneWithTheFix() throws {
        let database = try TestDatabase.create(migrated: false)
        let result = try run(["run", "--database-url", database.url, "--output", try makeTemporaryDirectory("cli").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("checkout-nightly migrate"))
    }
}
