import Foundation
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
        for report in reports {
            #expect(scrape.contains("checkout_nightly_step_outcome{outcome=\"succeeded\",step=\"\(report.step)\"} 1"))
            #expect(scrape.contains("checkout_nightly_step_runs_total{outcome=\"succeeded\",step=\"\(report.step)\"} 1"))
        }
    }
}

/// The real node_exporter (Debian's prometheus-node-exporter) on a loopback port, textfile collector only.
enum NodeExporter {
    /// Starts node_exporter on `textfileDirectory`, scrapes `/metrics` once and stops it.
    static func scrape(textfileDirectory: URL) throws -> String {
        let exporter = try requireTool("prometheus-node-exporter")
        let curl = try requireTool("curl")
        let port = try freeLoopbackPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exporter)
        process.arguments = [
            "--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults", "--collector.textfile",
            "--collector.textfile.directory=\(textfileDirectory.path)",
        ]
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
