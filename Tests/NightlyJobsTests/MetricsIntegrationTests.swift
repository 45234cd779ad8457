import Foundation
import Postgres
import Logging
import NightlyCore
import NightlyJobs
import Testing
import TestSupport

@Suite("Metric files through the real tools: promtool and node_exporter")
struct MetricsIntegrationTests {
    @Test func alertRulesAreValidAndTheirUnitTestsPass() throws {
        let promtool = try requireTool("promtool")
        let folder = Repository.root.appendingPathComponent("deploy/prometheus")
        let check = try runProcess(promtool, ["check", "rules", "alerts.yml"], currentDirectory: folder)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let unitTests = try runProcess(promtool, ["test", "rules", "alerts_test.yml"], currentDirectory: folder)
        #expect(unitTests.status == 0, "\(unitTests.stdout)\(unitTests.stderr)")
        #expect(unitTests.stdout.contains("SUCCESS"))
    }

    @Test func nodeExporterServesEveryFileWithoutScrapeErrors() async throws {
        let database = try TestDatabase.seeded(carts: 300, now: testNow)
        let output = try makeTemporaryDirectory("metrics")
        let reports = try await NightlyRun(
            settings: testSettings(database: database, output: output, now: testNow), logger: Logger(label: "test")
        ).execute()
        let metricsFolder = output.appendingPathComponent("metrics")
        let files = try FileManager.default.contentsOfDirectory(atPath: metricsFolder.path).filter { $0.hasSuffix(".prom") }
        #expect(files.count == reports.count, "one file per step: \(files)")

        let scrape = try NodeExporter.scrape(textfileDirectory: metricsFolder)
        #expect(scrape.contains("\nnode_textfile_scrape_error 0\n"), "node_exporter reported a scrape error")
        for file in files {
            #expect(scrape.contains("node_textfile_mtime_seconds{file=\"\(metricsFolder.path)/\(file)\"}"))
            // Every sample line of every file is served unchanged.
            let text = try String(contentsOf: metricsFolder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let (series, value) = (line.split(separator: " ")[0], Double(line.split(separator: " ")[1])!)
                let served = scrape.split(separator: "\n").first { $0.hasPrefix(series + " ") }
                #expect(served.map { Double($0.split(separator: " ").last!) } == value, "\(series) not served as \(value)")
            }
        }
        // Every step succeeded, reservation-retry too: without a warehouse_base_url it has nothing to do.
        for report in reports {
            let outcome = "succeeded"
            #expect(report.outcome.rawValue == outcome)
            #expect(scrape.contains("checkout_nightly_step_outcome{outcome=\"\(outcome)\",step=\"\(report.step)\"} 1"))
            #expect(scrape.contains("checkout_nightly_step_runs_total{outcome=\"\(outcome)\",step=\"\(report.step)\"} 1"))
            let staleAfter = Int(StalenessSettings().staleAfter(step: report.step))
            #expect(scrape.contains("checkout_nightly_step_stale_after_seconds{step=\"\(report.step)\"} \(staleAfter)\n"))
        }
    }
}

@Suite("node_exporter as its own user reads the textfile folder")
struct TextfilePermissionTests {
    /// The README's layout: a textfile folder the batch may write to, read by node_exporter as `prometheus` (the
    /// Debian package's user), which is neither the files' owner nor in their group. As root the exporter runs as
    /// that user; as anyone else the files' mode is what says another user could read them.
    @Test func theMetricFilesAreReadableByNodeExportersUser() async throws {
        let database = try TestDatabase.create()
        let textfiles = try makeTemporaryDirectory("textfiles")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: textfiles.path)
        var settings = testSettings(database: database, output: try makeTemporaryDirectory("textfile-run"), now: testNow,
                                    steps: [.stuckCarts])
        settings.textfileDirectory = textfiles.path
        try await NightlyRun(settings: settings, logger: quietLogger).execute()

        let file = textfiles.appendingPathComponent("checkout_nightly_stuck_carts.prom")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o644, "written with mode \(String(mode ?? 0, radix: 8))")
        let scrape = try NodeExporter.scrape(textfileDirectory: textfiles, as: getuid() == 0 ? "prometheus" : nil)
        #expect(scrape.contains("\nnode_textfile_scrape_error 0\n"), "node_exporter could not read the files")
        #expect(scrape.contains(#"checkout_nightly_step_outcome{outcome="succeeded",step="stuck-carts"} 1"#))
    }
}

@Suite("A step skipped behind another copy's lock")
struct SkippedStepMetricsTests {
    /// A hung copy holds the stuck-cart pass's lock: the runs after it are skipped and its metric file keeps the
    /// first run's last success (from the ledger), so `CheckoutNightlyStepStale` fires once the threshold passes.
    @Test func skippedRunsKeepTheLastSuccessTime() async throws {
        let database = try TestDatabase.create()
        let output = try makeTemporaryDirectory("skipped")
        let file = output.appendingPathComponent("metrics/checkout_nightly_stuck_carts.prom")
        func run(minutesAfter minutes: Double) async throws -> (StepReport, Double?) {
            let reports = try await NightlyRun(
                settings: testSettings(
                    database: database, output: output, now: testNow.addingTimeInterval(minutes * 60), steps: [.stuckCarts]),
                logger: quietLogger
            ).execute()
            let text = try String(contentsOf: file, encoding: .utf8)
            return (try #require(reports.first { $0.step == "stuck-carts" }), StepMetrics.lastSuccess(inPreviousFile: text, step: "stuck-carts"))
        }
        let (first, firstSuccess) = try await run(minutesAfter: 0)
        #expect(first.outcome == .succeeded)
        let firstFinished = first.startedAt.timeIntervalSince1970 + first.duration
        #expect(firstSuccess.map { abs($0 - firstFinished) < 0.001 } == true, "\(String(describing: firstSuccess))")

        let hungCopy = try database.connect()
        let locked = try hungCopy.queryFirst(
            try QueryLibrary(directory: Repository.queries).statement("run/try_pass_lock.sql"), ["stuck-carts"]
        ) { try $0.decode("locked", as: Bool.self) }
        #expect(locked == true)
        for minutes in [20.0, 40] {
            let (skipped, lastSuccess) = try await run(minutesAfter: minutes)
            #expect(skipped.outcome == .skipped)
            #expect(skipped.counts["lock_busy"] == 1)
            #expect(lastSuccess == firstSuccess, "a skipped run moved the last success \(minutes) min later")
        }
        withExtendedLifetime(hungCopy) {}
    }
}

@Suite("The catalogue in docs/metrics.md, served by node_exporter with the expected values")
struct MetricCatalogueTests {
    /// The family names of the catalogue table, and those documented as present only once some data exists.
    static func catalogue() throws -> (all: [String], conditional: Set<String>) {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("docs/metrics.md"), encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Every family").last?.components(separatedBy: "\n## ").first)
        var all: [String] = []
        var conditional: Set<String> = []
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let name = String(line.dropFirst(3).prefix { $0 != "`" })
            all.append(name)
            if line.contains("present once") { conditional.insert(name) }
        }
        return (all, conditional)
    }

    @Test func everyFamilyIsServedAndReportGaugesMatchTheOrders() async throws {
        let database = try TestDatabase.create()
        let fixtures = try Fixtures(database)
        // Orders built for the figures: reservations attempted and failed, relative to the run's clock.
        let orders: [(hoursAgo: Int, metadata: String)] = [
            (2, #"{"reservation_ids": ["r1", "r2"], "reservation_confirmation_errors": [{"reservation_id": "r2", "product_id": "p", "sku": "s", "warehouse_id": "w", "reason": "insufficient_stock", "message": "m", "failed_at": "2025-11-25T00:00:00Z"}]}"#),
            (5, #"{"reservation_ids": ["r3", "r4", "r5"]}"#),
            (20, #"{"reservation_ids": ["r6"], "reservation_confirmation_errors": "timeout talking to warehouse"}"#),
            (30, #"{"reservation_ids": ["r7"], "reservation_confirmation_errors": [{"reservation_id": "r7", "product_id": "p", "sku": "s", "warehouse_id": "w", "reason": "warehouse_timeout", "message": "m", "failed_at": "2025-11-24T00:00:00Z"}]}"#),
            (240, #"{"reservation_ids": ["r8"], "reservation_confirmation_errors": [{"reservation_id": "r8", "product_id": "p", "sku": "s", "warehouse_id": "w", "reason": "warehouse_timeout", "message": "m", "failed_at": "2025-11-15T00:00:00Z"}]}"#),
        ]
        for (index, order) in orders.enumerated() {
            try fixtures.order(
                number: "ORD-M-\(index)", total: 10, metadata: order.metadata,
                createdAt: testNow.addingTimeInterval(Double(-order.hoursAgo * 3600)))
        }
        let output = try makeTemporaryDirectory("catalogue")
        try await NightlyRun(
            settings: testSettings(database: database, output: output, now: testNow), logger: Logger(label: "test")
        ).execute()
        let scrape = try NodeExporter.scrape(textfileDirectory: output.appendingPathComponent("metrics"))
        func value(_ series: String) -> Double? {
            scrape.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
        }

        let (families, conditional) = try Self.catalogue()
        #expect(families.count >= 20, "the catalogue table was read")
        for family in families where !conditional.contains(family) {
            #expect(scrape.contains("\n# TYPE \(family) "), "\(family) is in docs/metrics.md but not served")
        }
        let served = Set(scrape.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
        for family in served where !family.hasPrefix("node_") && !family.hasPrefix("go_") && !family.hasPrefix("process_")
            && !family.hasPrefix("promhttp_") {
            #expect(families.contains(family), "\(family) is served but missing from docs/metrics.md")
        }

        // In the 24 h before the run: 6 confirmations attempted (2 + 3 + 1), 2 failed (one error, one malformed).
        #expect(value(#"checkout_reservation_confirmations{status="failed"}"#) == 2)
        #expect(value(#"checkout_reservation_confirmations{status="succeeded"}"#) == 4)
        #expect(value("checkout_reservation_confirmation_failure_ratio").map { abs($0 - 2.0 / 6.0) < 1e-9 } == true)
        #expect(value(#"checkout_orders_with_reservation_errors{window="24h"}"#) == 2)
        #expect(value(#"checkout_orders_with_reservation_errors{window="7d"}"#) == 3)
        #expect(value(#"checkout_orders_with_reservation_errors{window="all"}"#) == 4)
        #expect(value("checkout_orders_with_malformed_reservation_metadata") == 1)
        #expect(value("node_textfile_scrape_error") == 0)
    }
}

/// The real node_exporter (Debian's prometheus-node-exporter) on a loopback port, textfile collector only.
enum NodeExporter {
    /// Starts node_exporter on `textfileDirectory` (as `user` through runuser when given, which needs root),
    /// scrapes `/metrics` once and stops it.
    static func scrape(textfileDirectory: URL, as user: String? = nil) throws -> String {
        let exporter = try requireTool("prometheus-node-exporter")
        let curl = try requireTool("curl")
        let port = try freeLoopbackPort()
        let process = Process()
        let arguments = [
            "--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults", "--collector.textfile",
            "--collector.textfile.directory=\(textfileDirectory.path)",
        ]
        if let user {
            process.executableURL = URL(fileURLWithPath: try requireTool("runuser"))
            process.arguments = ["-u", user, "--", exporter] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: exporter)
            process.arguments = arguments
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        // curl waits for the listener itself: bounded retries on "connection refused", then the one real scrape.
        let result = try runProcess(curl, [
            "--silent", "--show-error", "--fail", "--retry", "50", "--retry-connrefused", "--retry-delay", "0",
            "--retry-max-time", "30", "--max-time", "30", "http://127.0.0.1:\(port)/metrics",
        ])
        guard result.status == 0 else { throw TestEnvironmentError("scraping node_exporter failed: \(result.stderr)") }
        return result.stdout
    }
}
