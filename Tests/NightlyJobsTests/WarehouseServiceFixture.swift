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

/// Orders with failed reservation confirmations, made to measure in a database of their own.
struct RetryShop {
    let database: TestDatabase
    let connection: Connection
    let customer = UUID()

    init() throws {
        database = try TestDatabase.create()
        connection = try database.connect()
        try connection.execute(
            "INSERT INTO customers (id, email, first_name) VALUES ($1::uuid, 'jane.doe@example.com', 'Jane')", [customer])
    }

    /// Inserts an order created at `createdAt` whose `reservation_confirmation_errors` is `errors` (any JSON), with
    /// `extra` metadata keys beside it; returns its id.
    @discardableResult
    func order(_ number: String, createdAt: Date, errors: String, extra: String = "{}") throws -> UUID {
        let id = UUID()
        try connection.execute(
            """
            INSERT INTO orders (id, order_number, customer_id, status, total_amount, currency, metadata, created_at)
            VALUES ($1::uuid, $2::text, $3::uuid, 'placed', 42.50, 'EUR',
                    $4::jsonb || jsonb_build_object('reservation_confirmation_errors', $5::jsonb), $6::timestamptz)
            """, [id, number, customer, extra, errors, createdAt])
        return id
    }

    /// One well-formed error entry for `reservation`.
    static func entry(_ reservation: String, sku: String = "SKU-1") -> String {
        #"{"reservation_id": "\#(reservation)", "product_id": "p-1", "sku": "\#(sku)", "warehouse_id": "wh-1", "reason": "warehouse_timeout", "message": "timed out", "failed_at": "2026-11-25T01:00:00Z"}"#
    }

    /// An order with one error per reservation id.
    @discardableResult
    func order(_ number: String, createdAt: Date, reservations: [String]) throws -> UUID {
        try order(number, createdAt: createdAt, errors: "[" + reservations.map { Self.entry($0) }.joined(separator: ",") + "]")
    }

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
