import Foundation
import Testing
import TestSupport

/// Hostile configuration through the real command line: exit 64 and one sentence naming the setting and where
/// it was set, before any connection (no database is needed: PGHOST points nowhere).
@Suite("The command line: hostile configuration exits 64")
struct ConfigurationExitTests {
    /// The config file's text (nil: none), extra environment, arguments after `run`, and what the sentence says.
    @Test(arguments: [
        ("output = /tmp/x\r\nlock_timeout = inf\r\n", [String: String](), [String](),
         "configuration: lock_timeout is \"inf\", which is not a duration", "(set in CONFIG:2)"),
        ("\u{FEFF}statement_timeout = 30d\n", [:], [],
         "configuration: statement_timeout is \"30d\", longer than the 2147483647ms", "(set in CONFIG:1)"),
        ("output = /tmp/a\r\n\r\noutput = /tmp/b\r\n", [:], [], "configuration: output is set twice, first at CONFIG:1", "(set in CONFIG:3)"),
        ("now = 2026-11-25T02:00:00Z\n", [:], [], "configuration: now may only be given on the command line", "(set in CONFIG:1)"),
        (nil, ["CHECKOUT_NIGHTLY_NOW": "2026-11-25T02:00:00Z"], [], "configuration: now may only be given on the command line",
         "(set in CHECKOUT_NIGHTLY_NOW)"),
        (nil, ["CHECKOUT_NIGHTLY_CONNECT_TIMEOUT": "500ms"], [], "configuration: connect_timeout is \"500ms\"",
         "(set in CHECKOUT_NIGHTLY_CONNECT_TIMEOUT)"),
        (nil, ["CHECKOUT_NIGHTLY_RECOVERY_BASE_URL": "https://shop.example.com"], ["--only", "recovery"],
         "configuration: recovery_base_url is still the shipped example", "(set in CHECKOUT_NIGHTLY_RECOVERY_BASE_URL)"),
        (nil, ["CHECKOUT_NIGHTLY_WAREHOUSE_BASE_URL": "http://127.0.0.1:9/api?tenant=1"], ["--only", "reservation-retry"],
         "configuration: warehouse_base_url is \"http://127.0.0.1:9/api?tenant=1\", which has a query or fragment",
         "(set in CHECKOUT_NIGHTLY_WAREHOUSE_BASE_URL)"),
    ] as [(String?, [String: String], [String], String, String)])
    func badConfigurationIs64WithItsOrigin(
        _ file: String?, _ environment: [String: String], _ arguments: [String], _ sentence: String, _ origin: String
    ) throws {
        let folder = try makeTemporaryDirectory("config")
        let path = folder.appendingPathComponent("checkout-nightly.conf").path
        var variables = storefrontEnvironment.merging(environment) { _, new in new }
        variables["PGHOST"] = "/nonexistent-socket-folder"
        if let file {
            try Data(file.utf8).write(to: URL(fileURLWithPath: path))
            variables["CHECKOUT_NIGHTLY_CONFIG"] = path
        }
        let result = try runProcess(
            try checkoutNightlyBinary(), ["run", "--output", folder.appendingPathComponent("output").path] + arguments,
            environment: variables, currentDirectory: Repository.root)
        #expect(result.status == 64, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one sentence: \(result.stderr)")
        #expect(result.stderr.contains(sentence.replacingOccurrences(of: "CONFIG", with: path)), "\(result.stderr)")
        #expect(result.stderr.contains(origin.replacingOccurrences(of: "CONFIG", with: path)), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("output").path), "nothing written")
    }
}
