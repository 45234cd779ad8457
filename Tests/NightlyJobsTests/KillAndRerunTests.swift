import Foundation
import Postgres
import Testing
import TestSupport

/// The batch killed with SIGKILL in the middle of sending, then run again: no message lost, none twice.
@Suite("Killed midway and run again")
struct KillAndRerunTests {
    /// Every (cart, stage) the recovery ledger holds, and whether each has exactly one outbox row and one code.
    func sentMessages(_ connection: Connection) throws -> [String] {
        try connection.query(
            """
            SELECT m.cart_id::text || '/' || m.stage AS sent,
                   (SELECT count(*) FROM checkout_nightly.notification_outbox AS o WHERE o.message_id = m.id) AS outbox
            FROM checkout_nightly.recovery_messages AS m ORDER BY 1
            """
        ) { row in "\(try row.decode("sent", as: String.self)) outbox=\(try row.decode("outbox", as: Int.self))" }
    }

    @Test func sigkillDuringRecoveryThenRerunSendsEveryDueMessageExactlyOnce() async throws {
        let killed = try TestDatabase.seeded(carts: 4000, now: testNow)
        let untouched = try TestDatabase.seeded(carts: 4000, now: testNow)  // the same seed: the same due messages
        let binary = try checkoutNightlyBinary()
        func arguments(_ database: TestDatabase) throws -> [String] {
            ["run", "--only", "recovery", "--database-url", database.url, "--now", "2025-11-25T02:00:00Z",
             "--output", try makeTemporaryDirectory("kill").path, "--queries", Repository.queries,
             "--templates", Repository.templates]
        }

        // Kill once some messages are committed and before the pass is done. The batch logs each message after
        // its transaction commits: reading its log as it comes is the readiness signal, no polling.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = try arguments(killed)
        process.environment = ProcessInfo.processInfo.environment.merging(storefrontEnvironment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        let log = Pipe()
        process.standardError = log
        try process.run()
        var committed = 0
        var pending = ""
        while committed < 20 {
            let chunk = log.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }  // the batch ended before 20 messages
            pending += String(decoding: chunk, as: UTF8.self)
            let lines = pending.split(separator: "\n", omittingEmptySubsequences: false)
            pending = String(lines.last ?? "")
            committed += lines.dropLast().filter { $0.contains("msg=\"recovery message recorded\"") }.count
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the batch finished before it could be killed")
        let observer = try killed.connect()
        let before = try observer.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages")
        #expect(before >= 20)
        let run = try observer.count("SELECT count(*) AS n FROM checkout_nightly.runs WHERE outcome = 'running'")
        #expect(run == 1, "the killed run stays 'running' in the ledger")

        let rerun = try runProcess(binary, try arguments(killed), environment: storefrontEnvironment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let reference = try runProcess(binary, try arguments(untouched), environment: storefrontEnvironment)
        #expect(reference.status == 0, "\(reference.stderr)")

        let closed = try observer.queryFirst(
            "SELECT count(*) FILTER (WHERE outcome = 'running') AS running, count(*) FILTER (WHERE outcome = 'failed' AND error LIKE '%killed or crashed%') AS closed FROM checkout_nightly.runs"
        ) { (try $0.decode("running", as: Int.self), try $0.decode("closed", as: Int.self)) }
        #expect(closed?.0 == 0 && closed?.1 == 1, "the rerun closes the killed run as failed: \(String(describing: closed))")
        #expect(rerun.stderr.contains("an earlier run ended without finishing"))
        let killedSteps = try observer.query(
            "SELECT s.step || ' ' || s.outcome AS step FROM checkout_nightly.step_runs AS s JOIN checkout_nightly.runs AS r USING (run_id) WHERE r.error LIKE '%killed or crashed%'"
        ) { try $0.decode("step", as: String.self) }
        #expect(killedSteps == ["recovery failed"], "the step the process died in is in the ledger, closed as failed")

        let afterKill = try sentMessages(observer)
        let uninterrupted = try sentMessages(try untouched.connect())
        #expect(afterKill.count > before, "the rerun sent what the killed run had not")
        #expect(afterKill == uninterrupted, "killed-and-rerun sends exactly what one uninterrupted run sends")
        #expect(afterKill.allSatisfy { $0.hasSuffix("outbox=1") })
    }
}
