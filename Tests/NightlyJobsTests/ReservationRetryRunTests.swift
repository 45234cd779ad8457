import Foundation
import NightlyCore
import Postgres
import Testing
import TestSupport

/// The retry pass run by the real `checkout-nightly` binary: a kill with calls in flight, the token's handling and
/// exit codes, `--dry-run`.
@Suite("Reservation retry through the command line")
struct ReservationRetryRunTests {
    let created = testNow.addingTimeInterval(-10 * minute)

    func arguments(_ database: TestDatabase, _ extra: [String] = []) throws -> [String] {
        ["run", "--only", "reservation-retry", "--database-url", database.url, "--now", ISO8601Timestamp.format(testNow),
         "--output", try makeTemporaryDirectory("retry-run").path, "--queries", Repository.queries,
         "--templates", Repository.templates] + extra
    }

    func environment(_ service: WarehouseService, token: String = WarehouseService.token) -> [String: String] {
        ["CHECKOUT_NIGHTLY_WAREHOUSE_BASE_URL": service.baseURL, "CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN": token,
         "CHECKOUT_NIGHTLY_WAREHOUSE_REQUEST_TIMEOUT": "120s"]
    }

    @Test func killedWithCallsInFlightThenRerunRecordsEveryCallAndRepeatsOnlyTheInterruptedWithTheirKeys() async throws {
        let hanging = try WarehouseService(default: "hang")
        let shop = try Fixtures()
        let reservations = (1...20).map { "r-\($0)" }
        for chunk in 0..<5 {
            try shop.orderWithReservationErrors("ORD-\(chunk)", createdAt: created, reservations: Array(reservations[(chunk * 4)..<(chunk * 4 + 4)]))
        }
        let binary = try checkoutNightlyBinary()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = try arguments(shop.database)
        process.environment = ProcessInfo.processInfo.environment.merging(environment(hanging)) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill once the default 8 calls are in flight at the service (bounded wait, polled; the calls never end).
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline, try hanging.calls().count < 8 {
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let firstKeys = try hanging.calls().map(\.key)
        hanging.stop()
        #expect(firstKeys.count == 8, "max in flight")
        let inFlight = try shop.connection.count(
            "SELECT count(*) AS n FROM checkout_nightly.reservation_retry_attempts WHERE outcome = 'in_flight'")
        #expect(inFlight == 8, "every call was recorded before it was made")

        let service = try WarehouseService()
        defer { service.stop() }
        let rerun = try runProcess(binary, try arguments(shop.database), environment: environment(service))
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("interrupted=8"), "\(rerun.stderr)")
        let secondKeys = try service.calls().map(\.key)
        #expect(secondKeys.count == 20 && Set(secondKeys).count == 20)
        #expect(Set(firstKeys).isSubset(of: Set(secondKeys)), "the interrupted calls are repeated with the same keys")
        let ledger = try shop.connection.query(
            "SELECT outcome || '=' || count(*) AS line FROM checkout_nightly.reservation_retry_attempts GROUP BY outcome ORDER BY 1"
        ) { try $0.decode("line", as: String.self) }
        #expect(ledger == ["confirmed=20", "interrupted=8"], "28 calls made, 28 attempts recorded")
        #expect(try shop.connection.count(
            "SELECT count(*) AS n FROM orders WHERE metadata -> 'reservation_confirmation_errors' <> '[]'::jsonb") == 0)
    }

    @Test func aMissingTokenExits64NamingWhereItWasLookedFor() async throws {
        let service = try WarehouseService()
        defer { service.stop() }
        let database = try TestDatabase.create()
        var env = environment(service)
        env["CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN"] = nil
        env["CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN_FILE"] = "/nonexistent/token"
        let result = try runProcess(try checkoutNightlyBinary(), try arguments(database), environment: env)
        #expect(result.status == 64)
        #expect(result.stderr.contains("warehouse_token_file is \"/nonexistent/token\", which cannot be read"), "\(result.stderr)")
        #expect(try service.calls().isEmpty)
    }

    @Test func aRefusedTokenExits1WithASentenceAboutTheTokenAndNeverPrintsIt() async throws {
        let service = try WarehouseService()
        defer { service.stop() }
        let shop = try Fixtures()
        try shop.orderWithReservationErrors("ORD-1", createdAt: created, reservations: ["r-1"])
        let secret = "wrong-but-secret-token-XYZ"
        let result = try runProcess(
            try checkoutNightlyBinary(), try arguments(shop.database), environment: environment(service, token: secret))
        #expect(result.status == 1)
        #expect(result.stderr.contains("refused the batch's bearer token (HTTP 401)"), "\(result.stderr)")
        #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret))
    }

    @Test func aDryRunPrintsWhatItWouldCallAndCallsNothing() async throws {
        let service = try WarehouseService()
        defer { service.stop() }
        let shop = try Fixtures()
        let order = try shop.orderWithReservationErrors("ORD-DRY", createdAt: created, reservations: ["r-dry"])
        let result = try runProcess(
            try checkoutNightlyBinary(), try arguments(shop.database, ["--dry-run"]), environment: environment(service))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("would confirm reservation (dry run)"), "\(result.stderr)")
        #expect(result.stderr.contains("reservation_id=r-dry") && result.stderr.contains("order_number=ORD-DRY"))
        #expect(try service.calls().isEmpty)
        #expect(try shop.remainingErrors(order).contains("r-dry"))
        #expect(try shop.connection.count("SELECT count(*) AS n FROM checkout_nightly.reservation_retries") == 0)
    }

    @Test func aRefusedOrSkippedRunStillExportsTheLedgersState() async throws {
        let service = try WarehouseService(script: ["r-gone": ["404"]])
        defer { service.stop() }
        let shop = try Fixtures()
        try shop.orderWithReservationErrors("ORD-1", createdAt: created, reservations: ["r-gone"])
        let metrics = try makeTemporaryDirectory("retry-metrics")
        let binary = try checkoutNightlyBinary()
        func run(token: String = WarehouseService.token) throws -> (status: Int32, stderr: String, file: String) {
            let result = try runProcess(
                binary, try arguments(shop.database, ["--textfile-dir", metrics.path]), environment: environment(service, token: token))
            let file = try String(
                contentsOf: metrics.appendingPathComponent("checkout_nightly_reservation_retry.prom"), encoding: .utf8)
            return (result.status, result.stderr, file)
        }
        let exhausted = #"checkout_nightly_reservation_retry_exhausted{reason="reservation_not_found"} 1"#
        let permanent = #"checkout_nightly_reservation_retry_attempts_total{outcome="permanent"} 1"#
        let first = try run()
        #expect(first.status == 0 && first.file.contains(exhausted) && first.file.contains(permanent), "\(first.stderr)")

        try shop.orderWithReservationErrors("ORD-2", createdAt: created, reservations: ["r-2"])
        let refused = try run(token: "wrong-token")
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.file.contains(#"outcome="failed",step="reservation-retry"} 1"#), "\(refused.file)")
        #expect(refused.file.contains(exhausted) && refused.file.contains(permanent), "\(refused.file)")
        #expect(refused.file.contains(#"checkout_nightly_reservation_retry_attempts_total{outcome="unauthorized"} 1"#))

        // Another copy holds the pass's lock: this run skips the pass, and the ledger's state stays exported.
        let otherCopy = try shop.database.connect()
        try otherCopy.execute("SELECT pg_advisory_lock(hashtext('checkout_nightly.pass'), hashtext('reservation-retry'))")
        let skipped = try run()
        #expect(skipped.status == 0 && skipped.stderr.contains("lock_busy 1"), "\(skipped.stderr)")
        #expect(skipped.file.contains(exhausted) && skipped.file.contains(permanent), "\(skipped.file)")
        #expect(skipped.file.contains("checkout_nightly_reservation_retry_circuit_open_runs 0"))
    }
}
