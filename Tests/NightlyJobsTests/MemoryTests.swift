import Foundation
import NightlyCore
import Testing
import TestSupport

/// Peak memory of a whole run, measured on the real binary in a child process (`/usr/bin/time`): it must not grow
/// with the number of messages the run renders, since pages, review copies and CSV files stream to disk.
@Suite("Memory does not grow with the night's volume")
struct MemoryTests {
    /// Runs the recovery pass with the per-run cap and lateness lifted over `carts` seeded carts; returns the messages it
    /// recorded and the run's peak resident memory in KB.
    func firstNight(carts: Int) throws -> (messages: Int, peakKB: Int) {
        let database = try TestDatabase.seeded(carts: carts, now: testNow)
        let report = try makeTemporaryDirectory("memory").appendingPathComponent("time.txt")
        let result = try runProcess(try requireTool("time"), [
            "-f", "%M", "-o", report.path, try checkoutNightlyBinary(),
            "run", "--only", "recovery", "--database-url", database.url, "--now", ISO8601Timestamp.format(testNow),
            "--output", try makeTemporaryDirectory("memory").path, "--queries", Repository.queries,
            "--templates", Repository.templates,
        ], environment: storefrontEnvironment.merging([
            // No cap, and no lateness limit: every due cart of the seeded week is mailed, so the volume grows.
            "CHECKOUT_NIGHTLY_RECOVERY_MAX_MESSAGES": "1000000", "CHECKOUT_NIGHTLY_RECOVERY_MAX_LATENESS": "8d",
        ]) { _, new in new })
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let messages = try database.connect().count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages")
        let peak = Int(try String(contentsOf: report, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        return (messages, peak)
    }

    @Test func eightTimesTheMessagesTakeAboutTheSameMemory() throws {
        let small = try firstNight(carts: 2_000)
        let large = try firstNight(carts: 16_000)
        #expect(large.messages > small.messages + 1_000, "the larger night renders over a thousand messages more")
        // Holding each rendered message (about 20 KB) until publishing grew the peak by over 20 MB here.
        #expect(large.peakKB - small.peakKB < 15_000, "peak \(small.peakKB) KB for \(small.messages) messages, \(large.peakKB) KB for \(large.messages)")
    }
}
