import Foundation
import NightlyCore
import Postgres
import TestSupport

/// scripts/warehouse-service.py on a free loopback port, scripted per reservation id; stopped by `stop()`.
final class WarehouseService: @unchecked Sendable {
    let process = Process()
    let port: Int
    let log: URL
    static let token = "test-token-0123"

    /// Starts the service and waits for its "listening on" line (no sleeping): `script` maps reservation ids to
    /// their behaviour per call (see the script's help).
    init(script: [String: [String]] = [:], default behaviour: String = "confirm", slowSeconds: Double = 3) throws {
        let folder = try makeTemporaryDirectory("warehouse")
        let scriptFile = folder.appendingPathComponent("script.json")
        try JSONSerialization.data(withJSONObject: script).write(to: scriptFile)
        log = folder.appendingPathComponent("calls.jsonl")
        process.executableURL = URL(fileURLWithPath: try requireTool("python3"))
        process.arguments = [
            Repository.root.appendingPathComponent("scripts/warehouse-service.py").path, "--script", scriptFile.path,
            "--default", behaviour, "--token", Self.token, "--log", log.path, "--slow-seconds", String(slowSeconds),
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw TestEnvironmentError("the warehouse service ended before it listened") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("listening on 127.0.0.1:"), let port = Int(text.split(separator: ":").last ?? "") else {
            throw TestEnvironmentError("the warehouse service printed \"\(text)\"")
        }
        self.port = port
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every call the service received, in order: reservation id, Idempotency-Key, behaviour, body.
    func calls() throws -> [(reservation: String, key: String, behaviour: String, body: [String: Any])] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            return (entry["reservation_id"] as? String ?? "", entry["idempotency_key"] as? String ?? "",
                    entry["behaviour"] as? String ?? "", entry["body"] as? [String: Any] ?? [:])
        }
    }

    /// Kills the service (SIGKILL: a child of the test process may inherit a blocked SIGTERM) and reaps it.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { if process.isRunning { stop() } }
}

/// What the retry pass recorded, read back.
extension Fixtures {
    /// The ledger row of `reservation`: state, attempts, exhausted reason, last answer.
    func retry(_ reservation: String) throws -> (state: String, attempts: Int, reason: String?, answer: String?, next: Date?)? {
        try connection.queryFirst(
            "SELECT state, attempts, exhausted_reason, last_answer, next_attempt_at FROM checkout_nightly.reservation_retries WHERE reservation_id = $1::text",
            [reservation]
        ) { row in
            (try row.decode("state"), try row.decode("attempts"), try row.decodeIfPresent("exhausted_reason"),
             try row.decodeIfPresent("last_answer"), try row.decodeIfPresent("next_attempt_at"))
        }
    }

    /// The reservation ids still in the order's error list.
    func remainingErrors(_ order: UUID) throws -> String {
        try connection.queryFirst(
            "SELECT (metadata -> 'reservation_confirmation_errors')::text AS errors FROM orders WHERE id = $1::uuid", [order]
        ) { try $0.decode("errors", as: String.self) } ?? ""
    }
}

extension ReservationRetrySettings {
    /// Settings for a test against `service`: short timeouts.
    static func test(_ service: WarehouseService?, port: Int? = nil) -> ReservationRetrySettings {
        var settings = ReservationRetrySettings()
        settings.baseURL = "http://127.0.0.1:\(service?.port ?? port ?? 9)"
        settings.requestTimeout = 1
        settings.connectTimeout = 1
        return settings
    }
}
