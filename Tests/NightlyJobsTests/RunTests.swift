import Foundation
import Logging
import NightlyCore
import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("The nightly run")
struct RunTests {
    let logger = Logger(label: "test")

    @Test func writesSiteEmailsAndMetricsThatPromtoolAccepts() async throws {
        let database = try TestDatabase.seeded(carts: 400, now: testNow)
        let output = try makeTemporaryDirectory("run")
        let reports = try await NightlyRun(settings: testSettings(database: database, output: output, now: testNow), logger: logger).execute()
        #expect(reports.allSatisfy { $0.outcome.isSuccess })

        let index = try String(contentsOf: output.appendingPathComponent("site/index.html"), encoding: .utf8)
        #expect(index.contains("Last run <strong>succeeded</strong>"))
        #expect(index.contains("2025-11-25 01:5"), "freshness stamp of the seeded data")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("emails").path))

        let metrics = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("metrics").path)
            .filter { $0.hasSuffix(".prom") }
        #expect(!metrics.isEmpty)
        let promtool = try requireTool("promtool")
        for file in metrics {
            let path = output.appendingPathComponent("metrics").appendingPathComponent(file).path
            let check = try runProcess(promtool, ["check", "metrics"], stdinFile: path)
            #expect(check.status == 0, "promtool on \(file): \(check.stdout)\(check.stderr)")
        }

        let ledger = try database.connect().query(
            "SELECT step, outcome FROM checkout_nightly.step_runs ORDER BY step"
        ) { "\(try $0.decode("step", as: String.self))=\(try $0.decode("outcome", as: String.self))" }
        #expect(ledger == reports.map { "\($0.step)=\($0.outcome.rawValue)" }.sorted())
    }

    /// The reports fail after the recovery pass has recorded messages: the run exits 1 and the metric files say
    /// so, the reports' pages and the overview stay as last published, and the review copies of the messages
    /// that were recorded are published with a jobs page that shows the failure.
    @Test func aStepThatFailsWithoutWritingKeepsItsPagesAndTheOthersArePublished() async throws {
        let database = try TestDatabase.seeded(carts: 200, now: testNow)
        let output = try makeTemporaryDirectory("run")
        var settings = testSettings(database: database, output: output, now: testNow)
        try await NightlyRun(settings: settings, logger: logger).execute()
        let site = output.appendingPathComponent("site")
        let before = try ["index.html", "reconciliation.html", "analytics.html"].map { try siteFile(site, $0) }

        // A report query that fails on the server, after the recovery pass of the next day.
        let queries = try makeTemporaryDirectory("queries").appendingPathComponent("queries")
        try FileManager.default.copyItem(atPath: Repository.queries, toPath: queries.path)
        try "-- parameters: now\nSELECT 1 / 0 AS newest_cart_activity WHERE $1::timestamptz IS NOT NULL;".write(
            to: queries.appendingPathComponent("reports/freshness.sql"), atomically: true, encoding: .utf8)
        settings.queriesDirectory = queries.path
        settings.now = testNow.addingTimeInterval(26 * 3600)
        let error = await #expect(throws: NightlyError.self) { try await NightlyRun(settings: settings, logger: logger).execute() }
        #expect(error?.description.contains("division by zero") == true)
        #expect(error?.description.contains("reports") == true)
        #expect(error?.exitCode == 1)

        #expect(try ["index.html", "reconciliation.html", "analytics.html"].map { try siteFile(site, $0) } == before)
        let jobs = try siteFile(site, "jobs.html")
        #expect(jobs.contains("division by zero"), "the jobs page shows the failed step")
        let sent = try database.connect().query(
            SQLStatement("SELECT id FROM checkout_nightly.recovery_messages WHERE created_at = $1::timestamptz", source: "test"),
            [settings.now!]
        ) { try $0.decode("id", as: UUID.self).uuidString.lowercased() }
        #expect(!sent.isEmpty, "the second day's recovery pass recorded messages before the reports failed")
        let copies = Set(try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("emails").path)
            .filter { $0.hasSuffix(".html") || $0.hasSuffix(".push.txt") }
            .compactMap { name in sent.first { name.contains($0) } })
        #expect(copies == Set(sent), "every message recorded has its review copy published")

        let metrics = try String(contentsOf: output.appendingPathComponent("metrics/checkout_nightly_reports.prom"), encoding: .utf8)
        #expect(metrics.contains("checkout_nightly_step_outcome{outcome=\"failed\",step=\"reports\"} 1"))
        #expect(StepMetrics.lastSuccess(inPreviousFile: metrics, step: "reports") ?? 0 > 0)
        let releases = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("releases").path)
        #expect(releases.count == 2, "published, and no staging folder left: \(releases)")
    }

    @Test func anUnwritableOutputFolderStopsTheRunBeforeAnyStepAndSaysWhere() async throws {
        let database = try TestDatabase.seeded(carts: 50, now: testNow)
        let blocker = try makeTemporaryDirectory("run").appendingPathComponent("not-a-folder")
        try "a file where the output folder should be".write(to: blocker, atomically: true, encoding: .utf8)
        let metrics = try makeTemporaryDirectory("metrics")
        var settings = testSettings(database: database, output: blocker.appendingPathComponent("output"), now: testNow)
        settings.textfileDirectory = metrics.path
        let error = await #expect(throws: NightlyError.self) { try await NightlyRun(settings: settings, logger: logger).execute() }
        #expect(error?.description.contains("cannot create the output folder") == true)
        #expect(error?.description.contains(blocker.path) == true, "\(error?.description ?? "")")
        #expect(error?.exitCode == 1)
        let recovery = try String(contentsOf: metrics.appendingPathComponent("checkout_nightly_recovery.prom"), encoding: .utf8)
        #expect(recovery.contains("checkout_nightly_step_outcome{outcome=\"failed\",step=\"recovery\"} 1"))
        let ledger = try database.connect().query("SELECT step FROM checkout_nightly.step_runs") { try $0.decode("step", as: String.self) }
        #expect(ledger.isEmpty, "no step ran, so none sent a message it could not show")
    }

    @Test func aRunStillGoingOnAnotherSessionIsNotClosed() async throws {
        let database = try TestDatabase.seeded(carts: 50, now: testNow)
        let otherCopy = try database.connect()
        let running = UUID()
        try otherCopy.execute(
            try QueryLibrary(directory: Repository.queries).statement("ledger/start_run.sql"),
            [running, testNow, ["recovery"], false, "other-host"])
        try await NightlyRun(
            settings: testSettings(database: database, output: try makeTemporaryDirectory("run"), now: testNow, steps: [.reports]),
            logger: logger
        ).execute()
        let outcome = try otherCopy.queryFirst(
            "SELECT outcome FROM checkout_nightly.runs WHERE run_id = $1::uuid", [running]
        ) { try $0.decode("outcome", as: String.self) }
        #expect(outcome == "running", "its session is alive, so it is another copy still at work")
    }

    @Test func aBrokenTemplateStopsTheRunBeforeTheDatabase() async throws {
        let database = try TestDatabase.create()
        let templates = try makeTemporaryDirectory("templates")
        try FileManager.default.copyItem(atPath: Repository.templates, toPath: templates.appendingPathComponent("t").path)
        try "{{#steps}}unclosed".write(
            to: templates.appendingPathComponent("t/site/index.mustache"), atomically: true, encoding: .utf8)
        var settings = testSettings(database: database, output: try makeTemporaryDirectory("run"), now: testNow)
        settings.templatesDirectory = templates.appendingPathComponent("t").path
        let error = await #expect(throws: NightlyError.self) { try await NightlyRun(settings: settings, logger: logger).execute() }
        #expect(error?.description.contains("index.mustache") == true)
        let runs = try database.connect().count("SELECT count(*) AS n FROM checkout_nightly.runs")
        #expect(runs == 0)
    }

    @Test func anOldSchemaIsRefusedWithTheFix() async throws {
        let database = try TestDatabase.create(migrated: false)
        let error = await #expect(throws: NightlyError.self) {
            try await NightlyRun(settings: testSettings(database: database, output: try makeTemporaryDirectory("run"), now: testNow), logger: logger).execute()
        }
        #expect(error?.description.contains("run `checkout-nightly migrate`") == true)
    }

    @Test func publishingKeepsOnlyTheNewestReleases() async throws {
        let database = try TestDatabase.seeded(carts: 50, now: testNow)
        let output = try makeTemporaryDirectory("run")
        var settings = testSettings(database: database, output: output, now: testNow)
        settings.keepReleases = 2
        for hour in 0..<4 {
            settings.now = testNow.addingTimeInterval(Double(hour) * 3600)
            try await NightlyRun(settings: settings, logger: logger).execute()
        }
        let releases = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("releases").path).sorted()
        #expect(releases.count == 2)
        let current = try FileManager.default.destinationOfSymbolicLink(atPath: output.appendingPathComponent("current").path)
        #expect(current == "releases/" + releases.last!)

        // The 5-minute stuck-cart schedule builds no page: it publishes nothing and leaves no staging folder.
        settings.steps = [.stuckCarts, .expiredSessions]
        for minute in 1...3 {
            settings.now = testNow.addingTimeInterval(3 * 3600 + Double(minute) * 300)
            try await NightlyRun(settings: settings, logger: logger).execute()
        }
        let after = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("releases").path).sorted()
        #expect(after == releases)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: output.appendingPathComponent("current").path) == current)
    }
}

@Suite("A run names the order service's indexes it misses")
struct MissingIndexWarningTests {
    @Test func aDroppedIndexIsNamedWithItsStatement() async throws {
        let database = try TestDatabase.seeded(carts: 50, now: testNow)
        let wanted = try OrderServiceIndexes(queries: QueryLibrary(directory: Repository.queries)).wanted()
        let dropped = try #require(wanted.first)
        try database.connect().execute(SQLStatement("DROP INDEX \(dropped.name)", source: "test"))
        let log = LogRecord()
        try await NightlyRun(
            settings: testSettings(database: database, output: try makeTemporaryDirectory("indexes"), now: testNow, steps: [.reports]),
            logger: log.logger
        ).execute()
        let named = log.entries.filter { $0.message.description.contains("index the batch relies on is missing") }
        #expect(named.map { "\($0.metadata["index"] ?? "")" } == [dropped.name])
        #expect(named.first.map { "\($0.metadata["statement"] ?? "")" } == dropped.statement)
    }
}
