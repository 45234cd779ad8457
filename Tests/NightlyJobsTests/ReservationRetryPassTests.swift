import Foundation
import Logging
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

/// Runs the retry pass's work once on `connection` at `now`.
@discardableResult
func retryReservations(
    _ connection: Connection, _ settings: ReservationRetrySettings, at now: Date,
    token: String = WarehouseService.token, dryRun: Bool = false
) async throws -> ReservationRetryCounts {
    try await ReservationRetrier(queries: QueryLibrary(directory: Repository.queries), settings: settings).run(
        connection: connection, baseURL: settings.baseURL!, token: WarehouseToken(value: token),
        now: now, runID: UUID(), logger: quietLogger, dryRun: dryRun)
}

@Suite("Reservation retry pass against a real warehouse service on loopback")
struct ReservationRetryPassTests {
    let created = testNow.addingTimeInterval(-10 * minute)

    @Test func everyRowOfTheContractGoesThroughTheRealHTTPPath() async throws {
        let service = try WarehouseService(script: [
            "r-200": ["confirm"], "r-409": ["already_confirmed"], "r-404": ["404"], "r-410": ["410"], "r-422": ["422"],
            "r-429": ["429"], "r-429s": ["429:7200"], "r-503d": ["503:date:90000"], "r-500": ["500"], "r-502": ["502"],
            "r-slow": ["slow"], "r-drop": ["drop"], "r-html": ["not_json"],
        ], slowSeconds: 3)
        defer { service.stop() }
        let shop = try Fixtures()
        let keep = try shop.orderWithReservationErrors(
            "ORD-1", createdAt: created,
            errors: "[\(Fixtures.reservationError("r-200")), {\"reason\": \"no id\"}, \(Fixtures.reservationError("r-404")), 17, \(Fixtures.reservationError("r-200", sku: "SKU-2"))]",
            extra: #"{"reservation_ids": ["r-200", "r-404"], "note": "kept"}"#)
        for (index, id) in ["r-409", "r-410", "r-422", "r-429", "r-429s", "r-503d", "r-500", "r-502", "r-slow", "r-drop", "r-html"].enumerated() {
            try shop.orderWithReservationErrors("ORD-\(index + 2)", createdAt: created, reservations: [id])
        }
        try shop.orderWithReservationErrors("ORD-old", createdAt: testNow.addingTimeInterval(-25 * hour), reservations: ["r-too-old"])
        try shop.orderWithReservationErrors("ORD-bad", createdAt: created, errors: #""not an array""#)

        let counts = try await retryReservations(shop.connection, .test(service), at: testNow)

        #expect(counts.enrolled == 13 && counts.calls == 13, "\(counts)")
        #expect(counts.skippedMalformed == 2, "the entry without reservation_id and the number")
        #expect(counts.confirmed == 1 && counts.alreadyConfirmed == 1 && counts.permanent == 3)
        #expect(counts.overloaded == 3 && counts.transient == 5 && counts.rescheduled == 8 && counts.exhausted == 3)
        for (id, reason) in [("r-404", "reservation_not_found"), ("r-410", "reservation_expired"), ("r-422", "insufficient_stock")] {
            let row = try #require(try shop.retry(id))
            #expect(row.state == "exhausted" && row.reason == reason && row.attempts == 1, "\(id): \(row)")
        }
        for id in ["r-200", "r-409"] { #expect(try shop.retry(id)?.state == "confirmed") }
        let transient = ["r-429", "r-500", "r-502", "r-slow", "r-drop", "r-html"]
        for id in transient {
            let row = try #require(try shop.retry(id))
            #expect(row.state == "pending" && row.attempts == 1, "\(id): \(row)")
        }
        let fifteenMinutesAfterTheAttempt = try shop.connection.count(
            """
            SELECT count(*) AS n FROM checkout_nightly.reservation_retry_attempts AS a
            JOIN checkout_nightly.reservation_retries AS r USING (order_id, reservation_id)
            WHERE a.reservation_id = ANY($1::text[])
              AND abs(extract(epoch FROM r.next_attempt_at - a.started_at) - 900) < 0.001
            """, [transient])
        #expect(fifteenMinutesAfterTheAttempt == transient.count, "the second attempt falls due 15 min after the first")
        #expect(try shop.retry("r-slow")?.answer == "timeout")
        #expect(try shop.retry("r-html")?.answer == "HTTP 200")
        #expect(try shop.retry("r-429s")!.next! >= testNow.addingTimeInterval(7200), "Retry-After in seconds")
        // The HTTP date is a day past the wall clock, so far past the test clock: it postpones by the longest
        // delay, 24 h, not the schedule's 15 min.
        #expect(try shop.retry("r-503d")!.next! >= testNow.addingTimeInterval(86_400), "Retry-After as an HTTP date")
        #expect(try shop.retry("r-too-old") == nil, "orders older than the window are not enrolled")

        // Every entry of the confirmed reservation left the metadata (the one for another SKU too: the service
        // confirms the reservation, not an entry); the malformed ones and the other keys stayed as they were.
        let metadata = try #require(try shop.connection.queryFirst(
            "SELECT metadata::text AS m FROM orders WHERE id = $1::uuid", [keep]) { try $0.decode("m", as: String.self) })
        #expect(metadata.contains(#""note": "kept""#) && metadata.contains(#""reservation_ids": ["r-200", "r-404"]"#))
        let remaining = try shop.connection.query(
            """
            SELECT COALESCE(e ->> 'reservation_id', e::text) || COALESCE('/' || (e ->> 'sku'), '') AS element
            FROM orders, jsonb_array_elements(metadata -> 'reservation_confirmation_errors') AS e WHERE id = $1::uuid
            """, [keep]) { try $0.decode("element", as: String.self) }
        #expect(remaining == [#"{"reason": "no id"}"#, "r-404/SKU-1", "17"])

        // The contract's request: the key is the order's and reservation's, the body names the order.
        let calls = try service.calls()
        #expect(calls.count == 13)
        let call = try #require(calls.first { $0.reservation == "r-200" })
        #expect(call.body["order_id"] as? String == keep.uuidString.lowercased())
        #expect(call.body["order_number"] as? String == "ORD-1" && call.body["sku"] as? String == "SKU-1")
        #expect(call.key.count == 64)
        let attempts = try shop.connection.count(
            "SELECT count(*) AS n FROM checkout_nightly.reservation_retry_attempts WHERE outcome = 'in_flight' OR finished_at IS NULL")
        #expect(attempts == 0, "every attempt is resolved")
    }

    @Test func anErrorFollowsTheScheduleToTheFifthAttemptEvenPastTheWindowThenNeedsAPerson() async throws {
        let service = try WarehouseService(script: ["r-flaky": ["502"]])
        defer { service.stop() }
        let shop = try Fixtures()
        let order = try shop.orderWithReservationErrors("ORD-1", createdAt: testNow, reservations: ["r-flaky"])
        let settings = ReservationRetrySettings.test(service)
        // Just before each attempt falls due nothing is called; just after, exactly one attempt is made.
        var clock = testNow
        for (attempt, delay) in zip(1..., settings.delays) {
            let early = try await retryReservations(shop.connection, settings, at: clock.addingTimeInterval(delay - 30))
            #expect(early.calls == 0, "attempt \(attempt) is not due yet")
            clock = clock.addingTimeInterval(delay + 30)
            let due = try await retryReservations(shop.connection, settings, at: clock)
            #expect(due.calls == 1 && due.transient == 1, "attempt \(attempt): \(due)")
            #expect(try shop.retry("r-flaky")?.attempts == attempt)
        }
        #expect(clock.timeIntervalSince(testNow) > 31 * hour, "the last attempt falls past the 24 h window")
        let row = try #require(try shop.retry("r-flaky"))
        #expect(row.state == "exhausted" && row.reason == "attempts_exhausted" && row.answer == "HTTP 502 server_error")
        #expect(try await retryReservations(shop.connection, settings, at: clock.addingTimeInterval(48 * hour)).calls == 0)
        #expect(try shop.remainingErrors(order).contains("r-flaky"), "an exhausted error stays for a person")
        let keys = Set(try service.calls().map(\.key))
        #expect(keys.count == 1, "one Idempotency-Key for every attempt")
    }

    @Test func theCircuitOpensAfterConsecutiveTransientFailuresAndTheRestWaitForTheNextRun() async throws {
        let service = try WarehouseService(default: "503")
        defer { service.stop() }
        let shop = try Fixtures()
        try shop.orderWithReservationErrors("ORD-1", createdAt: created, reservations: (1...15).map { "r-\($0)" })
        var settings = ReservationRetrySettings.test(service)
        settings.circuitBreakerThreshold = 3
        settings.maxInFlight = 1
        let counts = try await retryReservations(shop.connection, settings, at: testNow)
        #expect(counts.calls == 3 && counts.overloaded == 3 && counts.circuitOpen == 1 && counts.deferred == 12, "\(counts)")
        #expect(try service.calls().count == 3)
        let untouched = try shop.connection.count(
            "SELECT count(*) AS n FROM checkout_nightly.reservation_retries WHERE attempts = 0 AND state = 'pending'")
        #expect(untouched == 12, "deferred errors keep every attempt")
    }

    @Test func theServiceDownIsTransient() async throws {
        let shop = try Fixtures()
        try shop.orderWithReservationErrors("ORD-1", createdAt: created, reservations: ["r-1"])
        let counts = try await retryReservations(shop.connection, .test(nil, port: try freeLoopbackPort()), at: testNow)
        #expect(counts.transient == 1)
        #expect(try shop.retry("r-1")?.answer == "connection_refused")
    }

    @Test func aRefusedTokenStopsThePassAndCostsNoAttempt() async throws {
        let service = try WarehouseService()
        defer { service.stop() }
        let shop = try Fixtures()
        try shop.orderWithReservationErrors("ORD-1", createdAt: created, reservations: ["r-1", "r-2"])
        let error = await #expect(throws: WarehouseTokenRejected.self) {
            try await retryReservations(shop.connection, .test(service), at: testNow, token: "wrong-token")
        }
        #expect(error?.status == 401)
        #expect(error?.description.contains("token") == true)
        #expect(try shop.retry("r-1")?.attempts == 0 && shop.retry("r-1")?.state == "pending")
        let recorded = try shop.connection.count(
            "SELECT count(*) AS n FROM checkout_nightly.reservation_retry_attempts WHERE outcome = 'unauthorized'")
        #expect(recorded == (try service.calls().count), "every call is recorded")
    }

    @Test func twoCopiesAtOnceNeverCallForTheSameError() async throws {
        let service = try WarehouseService(default: "slow", slowSeconds: 0.05)
        defer { service.stop() }
        let shop = try Fixtures()
        let reservations = (1...40).map { "r-\($0)" }
        for chunk in 0..<8 {
            try shop.orderWithReservationErrors("ORD-\(chunk)", createdAt: created, reservations: Array(reservations[(chunk * 5)..<(chunk * 5 + 5)]))
        }
        var settings = ReservationRetrySettings.test(service)
        settings.requestTimeout = 10
        settings.maxInFlight = 4
        let (one, other) = (try shop.database.connect(), try shop.database.connect())
        async let first = retryReservations(one, settings, at: testNow)
        async let second = retryReservations(other, settings, at: testNow)
        let (a, b) = try await (first, second)
        #expect(a.calls + b.calls == 40, "\(a.calls) + \(b.calls)")
        let calls = try service.calls()
        #expect(calls.count == 40 && Set(calls.map(\.reservation)).count == 40, "no error was called twice")
        #expect(try shop.connection.count(
            "SELECT count(*) AS n FROM checkout_nightly.reservation_retries WHERE state = 'confirmed'") == 40)
    }

    @Test func aDryRunListsTheCallsAndChangesNothing() async throws {
        let service = try WarehouseService()
        defer { service.stop() }
        let shop = try Fixtures()
        try shop.orderWithReservationErrors("ORD-1", createdAt: created, reservations: ["r-1", "r-2"])
        let tables = ["orders", "checkout_nightly.reservation_retries", "checkout_nightly.reservation_retry_attempts"]
        let before = try shop.database.checksum(of: tables)
        let counts = try await retryReservations(shop.connection, .test(service), at: testNow, dryRun: true)
        #expect(counts.calls == 0 && counts.wouldCall == 2)
        #expect(try shop.database.checksum(of: tables) == before)
        #expect(try service.calls().isEmpty)
    }

    @Test func anErrorAPersonReconciledMeanwhileIsWithdrawnNotCalled() async throws {
        let service = try WarehouseService(default: "502")
        defer { service.stop() }
        let shop = try Fixtures()
        let order = try shop.orderWithReservationErrors("ORD-1", createdAt: created, reservations: ["r-1"])
        try await retryReservations(shop.connection, .test(service), at: testNow)
        try shop.connection.execute(
            "UPDATE orders SET metadata = metadata - 'reservation_confirmation_errors' WHERE id = $1::uuid", [order])
        let counts = try await retryReservations(shop.connection, .test(service), at: testNow.addingTimeInterval(hour))
        #expect(counts.withdrawn == 1 && counts.calls == 0)
        #expect(try shop.retry("r-1")?.state == "withdrawn")
    }

    @Test func aRetryAfterOfYearsOrBeyondAnyTimestampPostponesByTheLongestDelayAtMost() async throws {
        // 9223372036854775807 s used to trap the binary (the timestamp overflowed), and 10^12 s waited 31,000 years.
        let service = try WarehouseService(script: [
            "r-max": ["503:9223372036854775807"], "r-years": ["429:1000000000000"], "r-date": ["503:date:200000000000"],
            "r-ok": ["confirm"],
        ])
        defer { service.stop() }
        let shop = try Fixtures()
        try shop.orderWithReservationErrors("ORD-1", createdAt: created, reservations: ["r-max", "r-years", "r-date", "r-ok"])
        let settings = ReservationRetrySettings.test(service)
        let counts = try await retryReservations(shop.connection, settings, at: testNow)
        #expect(counts.calls == 4 && counts.overloaded == 3 && counts.confirmed == 1, "\(counts)")
        let longest = settings.schedule.longestDelay
        for id in ["r-max", "r-years", "r-date"] {
            let row = try #require(try shop.retry(id))
            #expect(row.state == "pending" && row.attempts == 1, "\(id): \(row)")
            let next = try #require(row.next)
            #expect(next >= testNow.addingTimeInterval(longest) && next < testNow.addingTimeInterval(longest + 60), "\(id): \(next)")
        }
    }

    @Test func anOrderRowLockedLongerThanLockTimeoutIsSkippedAndFinishedByTheNextRunWithTheSameKey() async throws {
        let service = try WarehouseService()
        defer { service.stop() }
        let shop = try Fixtures()
        let locked = try shop.orderWithReservationErrors("ORD-LOCKED", createdAt: created, reservations: ["r-locked"])
        let free = try shop.orderWithReservationErrors("ORD-FREE", createdAt: created, reservations: ["r-1", "r-2"])
        // The order service holds one order's row in a long transaction.
        let orderService = try shop.database.connect()
        try orderService.execute("BEGIN")
        try orderService.execute("SELECT id FROM orders WHERE id = $1::uuid FOR UPDATE", [locked])
        let pass = try shop.database.connect()
        try pass.setTimeouts(statement: .seconds(30), lock: .milliseconds(200))

        let counts = try await retryReservations(pass, .test(service), at: testNow)
        #expect(counts.calls == 3 && counts.confirmed == 2 && counts.skippedLocked == 1, "\(counts)")
        #expect(try shop.remainingErrors(free) == "[]", "the other order's confirmations are recorded")
        #expect(try shop.remainingErrors(locked).contains("r-locked"))
        let row = try #require(try shop.retry("r-locked"))
        #expect(row.state == "pending" && row.attempts == 0, "the skipped attempt does not count: \(row)")
        #expect(try pass.count(
            "SELECT count(*) AS n FROM checkout_nightly.reservation_retry_attempts WHERE outcome = 'in_flight'") == 0)
        try orderService.execute("ROLLBACK")

        let next = try await retryReservations(pass, .test(service), at: testNow.addingTimeInterval(60))
        #expect(next.calls == 1 && next.alreadyConfirmed == 1 && next.skippedLocked == 0, "\(next)")
        #expect(try shop.retry("r-locked")?.state == "confirmed")
        #expect(try shop.remainingErrors(locked) == "[]")
        let calls = try service.calls().filter { $0.reservation == "r-locked" }
        #expect(calls.count == 2 && Set(calls.map(\.key)).count == 1, "called again with the same Idempotency-Key")
    }

    @Test func aConfirmationSettlesEveryEntryOfItsReservationInTheOrder() async throws {
        let service = try WarehouseService(script: ["r-amended": ["503", "confirm"], "r-other": ["503"]])
        defer { service.stop() }
        let shop = try Fixtures()
        func entry(_ reservation: String, failedAt: String) -> String {
            Fixtures.reservationError(reservation).replacingOccurrences(of: "2026-11-25T01:00:00Z", with: failedAt)
        }
        // Two failures recorded for one reservation, beside another reservation's error that stays.
        let twice = try shop.orderWithReservationErrors(
            "ORD-DUP", createdAt: created,
            errors: "[\(entry("r-dup", failedAt: "2026-11-25T01:00:00Z")), \(entry("r-dup", failedAt: "2026-11-25T01:00:05Z")), \(Fixtures.reservationError("r-other"))]")
        let amended = try shop.orderWithReservationErrors("ORD-AMENDED", createdAt: created, reservations: ["r-amended"])
        let first = try await retryReservations(shop.connection, .test(service), at: testNow)
        #expect(first.enrolled == 3 && first.confirmed == 1, "one ledger row per reservation of an order: \(first)")
        let left = try shop.remainingErrors(twice)
        #expect(left.contains("r-other") && !left.contains("r-dup"), "both entries of the confirmed reservation went: \(left)")
        // The order service amends the entry after enrolment; the error is still the ledger's, and its
        // confirmation removes it.
        try shop.connection.execute(
            """
            UPDATE orders SET metadata = jsonb_set(metadata, '{reservation_confirmation_errors,0,order_service_retries}', '2')
            WHERE id = $1::uuid
            """, [amended])
        let second = try await retryReservations(shop.connection, .test(service), at: testNow.addingTimeInterval(hour))
        #expect(second.withdrawn == 0 && second.confirmed == 1, "\(second)")
        #expect(try shop.remainingErrors(amended) == "[]")
        #expect(try shop.retry("r-amended")?.state == "confirmed")
    }

    @Test func aBodyTricklingPastTheRequestTimeoutIsATimeout() async throws {
        // The head at once, then a byte every 0.5 s: about 28 s for the whole body, against a 2 s timeout. Each
        // byte restarts the client's read timeout, so without a deadline for the whole call the answer would be a
        // confirmation 28 s later.
        let service = try WarehouseService(default: "trickle:0.5")
        defer { service.stop() }
        let shop = try Fixtures()
        try shop.orderWithReservationErrors("ORD-1", createdAt: created, reservations: ["r-1"])
        var settings = ReservationRetrySettings.test(service)
        settings.requestTimeout = 2
        let counts = try await retryReservations(shop.connection, settings, at: testNow)
        // A wall-clock bound would measure the shared test machine (blocking tests starve the cooperative pool);
        // the answer itself tells: without the whole-call deadline it is the confirmation, read to its end.
        #expect(counts.calls == 1 && counts.transient == 1 && counts.confirmed == 0, "\(counts)")
        #expect(try shop.retry("r-1")?.answer == "timeout")
    }

    @Test func theReconciliationPageShowsWhatTheRetriesHavePendingConfirmedAndExhausted() async throws {
        let service = try WarehouseService(script: ["r-ok": ["confirm"], "r-gone": ["404"], "r-busy": ["503"]])
        defer { service.stop() }
        let shop = try Fixtures()
        for id in ["r-ok", "r-gone", "r-busy"] {
            try shop.orderWithReservationErrors("ORD-\(id)", createdAt: created, reservations: [id])
        }
        try await retryReservations(shop.connection, .test(service), at: testNow)
        let site = try await buildSite(shop.database, now: testNow.addingTimeInterval(minute))
        let page = try siteFile(site, "reconciliation.html")
        let section = try #require(
            page.components(separatedBy: #"<section aria-labelledby="retries-heading">"#).dropFirst().first?
                .components(separatedBy: "</section>").first)
        #expect(section.contains("Need a person") && section.contains("Waiting for their next attempt"), "the stats: \(section)")
        for table in ["pending", "confirmed", "exhausted"] {
            #expect(section.contains(#"id="reconciliation-retries-\#(table)""#), "the \(table) table")
        }
        let exhausted = try #require(section.components(separatedBy: #"id="reconciliation-retries-exhausted""#).last)
        #expect(exhausted.contains("<code>r-gone</code>") && exhausted.contains("reservation_not_found") && exhausted.contains("ORD-r-gone"))
        let pending = try #require(section.components(separatedBy: #"id="reconciliation-retries-pending""#).last)
        #expect(pending.contains("<tbody>"), "the pending error is listed: \(pending)")
    }
}
