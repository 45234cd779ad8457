import Foundation
import NightlyCore
import Testing

/// The retry pass's pure rules: the §2b answer table, the schedule, the circuit breaker and the settings.
@Suite("Reservation retry: answers, schedule, circuit breaker, settings")
struct ReservationRetryRulesTests {
    static let now = Date(timeIntervalSince1970: 1_795_572_000)
    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Every row of DESIGN.md §2b, and the answers that only look like one.
    static let answerTable: [(String, WarehouseAnswer, ConfirmationOutcome)] = [
        ("200 confirmed", .response(status: 200, retryAfter: nil, body: json(#"{"status": "confirmed", "confirmed_at": "2026-11-25T02:00:01Z"}"#)), .confirmed),
        ("409 already confirmed", .response(status: 409, retryAfter: nil, body: json(#"{"status": "already_confirmed"}"#)), .alreadyConfirmed),
        ("404 not found", .response(status: 404, retryAfter: nil, body: json(#"{"error": "reservation_not_found"}"#)), .permanent(.reservationNotFound)),
        ("410 expired", .response(status: 410, retryAfter: nil, body: json(#"{"error": "reservation_expired"}"#)), .permanent(.reservationExpired)),
        ("422 insufficient stock", .response(status: 422, retryAfter: nil, body: json(#"{"error": "insufficient_stock", "available": 2}"#)), .permanent(.insufficientStock)),
        ("429 without Retry-After", .response(status: 429, retryAfter: nil, body: []), .overloaded(retryAfter: nil)),
        ("429 Retry-After seconds", .response(status: 429, retryAfter: "120", body: []), .overloaded(retryAfter: now.addingTimeInterval(120))),
        ("503 Retry-After HTTP date", .response(status: 503, retryAfter: "Wed, 25 Nov 2026 03:00:00 GMT", body: []), .overloaded(retryAfter: now.addingTimeInterval(3600))),
        ("503 unreadable Retry-After", .response(status: 503, retryAfter: "soon", body: []), .overloaded(retryAfter: nil)),
        ("503 Retry-After beyond Int64", .response(status: 503, retryAfter: "9223372036854775807", body: []), .overloaded(retryAfter: now.addingTimeInterval(86_400))),
        ("500", .response(status: 500, retryAfter: nil, body: json(#"{"error": "server_error"}"#)), .transient),
        ("502", .response(status: 502, retryAfter: nil, body: []), .transient),
        ("504", .response(status: 504, retryAfter: nil, body: []), .transient),
        ("timeout", .failure(.timeout), .transient),
        ("refused", .failure(.connectionRefused), .transient),
        ("reset", .failure(.connectionReset), .transient),
        ("200 not JSON", .response(status: 200, retryAfter: nil, body: json("<html>maintenance</html>")), .transient),
        ("200 other JSON", .response(status: 200, retryAfter: nil, body: json(#"{"status": "pending"}"#)), .transient),
        ("404 of a proxy, not the service", .response(status: 404, retryAfter: nil, body: json("Not Found")), .transient),
        ("409 other JSON", .response(status: 409, retryAfter: nil, body: json(#"{"error": "conflict"}"#)), .transient),
        ("401", .response(status: 401, retryAfter: nil, body: []), .unauthorized),
        ("403", .response(status: 403, retryAfter: nil, body: json(#"{"error": "forbidden"}"#)), .unauthorized),
    ]

    @Test(arguments: answerTable)
    func everyAnswerOfTheContractIsClassified(_ label: String, _ answer: WarehouseAnswer, _ expected: ConfirmationOutcome) {
        #expect(ConfirmationOutcome(classifying: answer, at: Self.now, retryAfterLimit: 86_400) == expected, "\(label)")
    }

    let schedule = ReservationRetrySettings().schedule

    @Test func theDefaultScheduleWaitsFiveMinutesThenFifteenThenAnHourThenSixThenADay() {
        let created = Self.now
        #expect(schedule.maxAttempts == 5)
        #expect(schedule.firstAttempt(orderCreatedAt: created) == created.addingTimeInterval(300))
        let expected: [TimeInterval] = [900, 3600, 21_600, 86_400]
        for (attempt, delay) in zip(1..., expected) {
            #expect(schedule.nextAttempt(after: attempt, attemptedAt: Self.now) == Self.now.addingTimeInterval(delay))
        }
        #expect(schedule.nextAttempt(after: 5, attemptedAt: Self.now) == nil, "the fifth attempt is the last")
    }

    @Test(arguments: [
        (nil as TimeInterval?, 900.0), (60, 900), (900, 900), (901, 901), (7200, 7200),
    ])
    func retryAfterPostponesButNeverAdvancesTheSchedule(_ retryAfter: TimeInterval?, _ expected: TimeInterval) {
        let next = schedule.nextAttempt(after: 1, attemptedAt: Self.now, notBefore: retryAfter.map(Self.now.addingTimeInterval))
        #expect(next == Self.now.addingTimeInterval(expected))
    }

    @Test(arguments: [
        (ConfirmationOutcome.confirmed, 1, RetryDecision.confirmed),
        (.alreadyConfirmed, 5, .confirmed),
        (.permanent(.reservationExpired), 1, .exhausted(.reservationExpired)),
        (.transient, 1, .retry(at: now.addingTimeInterval(900))),
        (.transient, 4, .retry(at: now.addingTimeInterval(86_400))),
        (.transient, 5, .exhausted(.attemptsExhausted)),
        (.overloaded(retryAfter: now.addingTimeInterval(999_999)), 5, .exhausted(.attemptsExhausted)),
        (.overloaded(retryAfter: now.addingTimeInterval(7200)), 2, .retry(at: now.addingTimeInterval(7200))),
        (.unauthorized, 3, .uncounted),
    ])
    func eachOutcomeDecidesTheErrorsNextState(_ outcome: ConfirmationOutcome, _ attempt: Int, _ expected: RetryDecision) {
        #expect(RetryDecision(outcome: outcome, attempt: attempt, attemptedAt: Self.now, schedule: schedule) == expected)
    }

    @Test func theCircuitOpensOnTheTenthTransientFailureInARowAndStaysOpen() {
        var breaker = CircuitBreaker(threshold: 10)
        func opened(_ outcome: ConfirmationOutcome) -> Bool { breaker.record(outcome) }
        for _ in 1...9 { #expect(!opened(.transient)) }
        #expect(!opened(.confirmed), "an answer in between starts the count again")
        for _ in 1...9 { #expect(!opened(.overloaded(retryAfter: nil))) }
        #expect(!breaker.isOpen)
        #expect(!opened(.permanent(.reservationNotFound)), "a permanent answer is the reservation's, not the service's")
        for _ in 1...9 { _ = opened(.transient) }
        #expect(opened(.transient), "the tenth in a row opens it")
        #expect(breaker.isOpen)
        #expect(!opened(.transient), "it opens once")
        _ = opened(.confirmed)
        #expect(breaker.isOpen, "and stays open for the run")
    }

    @Test(arguments: [
        ("120", 120.0 as TimeInterval?), ("0", 0), (" 30 ", 30), ("Wed, 25 Nov 2026 02:10:00 GMT", 600),
        ("Wednesday, 25-Nov-26 02:10:00 GMT", 600), ("Wed Nov 25 02:10:00 2026", 600), ("-5", nil), ("1.5", nil),
        ("tomorrow", nil), ("", nil),
        // What the service asks for is cut to the limit (a day here): no wait of 31,000 years, no overflow.
        ("86400", 86_400), ("86401", 86_400), ("1000000000000", 86_400), ("9223372036854775807", 86_400),
        ("99999999999999999999999999", 86_400), ("Fri, 31 Dec 9999 23:59:59 GMT", 86_400),
    ])
    func retryAfterIsSecondsOrAnHTTPDateAndAtMostTheLimit(_ header: String, _ seconds: TimeInterval?) {
        #expect(RetryAfter.parse(header, now: Self.now, limit: 86_400) == seconds.map(Self.now.addingTimeInterval))
    }

    @Test func theLimitOfRetryAfterIsTheScheduleLongestDelay() {
        #expect(schedule.longestDelay == 86_400)
        #expect(ReservationRetrySchedule(delays: [60, 7200, 600]).longestDelay == 7200)
    }

    @Test func settingsHaveTheDocumentedNamesAndDefaults() throws {
        let settings = try SettingsResolver().resolve(
            flags: ["warehouse_base_url": "https://warehouse.example.com/", "reservation_retry_delays": "1m, 2m,3h"],
            environment: [
                "CHECKOUT_NIGHTLY_RESERVATION_RETRY_MAX_IN_FLIGHT": "3", "CHECKOUT_NIGHTLY_WAREHOUSE_REQUEST_TIMEOUT": "2s",
            ],
            file: try ConfigFile(path: "/etc/c.conf", text: "reservation_retry_circuit_breaker = 4\nwarehouse_token_file = /run/secrets/warehouse\nreservation_retry_window = 12h\nwarehouse_connect_timeout = 500ms"),
            forRun: false)
        let retry = settings.reservationRetry
        #expect(retry.baseURL == "https://warehouse.example.com")
        #expect(retry.delays == [60, 120, 10_800])
        #expect(retry.schedule.maxAttempts == 3)
        #expect(retry.maxInFlight == 3)
        #expect(retry.circuitBreakerThreshold == 4)
        #expect(retry.tokenFile == "/run/secrets/warehouse")
        #expect(retry.window == 43_200)
        #expect(retry.requestTimeout == 2)
        #expect(retry.connectTimeout == 0.5)
        let defaults = ReservationRetrySettings()
        #expect(defaults.baseURL == nil && defaults.window == 86_400 && defaults.maxInFlight == 8 && defaults.circuitBreakerThreshold == 10)
    }

    @Test(arguments: [
        (["warehouse_base_url": "http://warehouse.example.com"], "warehouse_base_url", "plain http is allowed only"),
        (["warehouse_base_url": "warehouse.example.com"], "warehouse_base_url", "not an absolute https URL"),
        (["warehouse_base_url": "http://127.0.0.1:8080/api?tenant=1"], "warehouse_base_url", "has a query or fragment"),
        (["warehouse_base_url": "https://warehouse.example.com/api#x"], "warehouse_base_url", "has a query or fragment"),
        (["warehouse_base_url": "https://warehouse.example.com/?"], "warehouse_base_url", "has a query or fragment"),
        (["reservation_retry_delays": "5m,,1h"], "reservation_retry_delays", "separated by commas"),
        (["reservation_retry_delays": "5m,soon"], "reservation_retry_delays", "positive duration"),
        (["reservation_retry_max_in_flight": "0"], "reservation_retry_max_in_flight", "at least 1"),
        (["reservation_retry_circuit_breaker": "x"], "reservation_retry_circuit_breaker", "at least 1"),
        (["reservation_retry_window": "-1h"], "reservation_retry_window", "positive duration"),
        (["warehouse_request_timeout": "0s"], "warehouse_request_timeout", "positive duration"),
    ])
    func badRetrySettingsNameTheSettingAndWhereItWasSet(_ flags: [String: String], _ setting: String, _ phrase: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try SettingsResolver().resolve(flags: flags, environment: [:], file: nil)
        }
        #expect(error?.setting == setting)
        #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "")")
        #expect(error?.origin == .commandLine && error?.description.contains("the command line") == true)
    }

    @Test func plainHTTPIsAcceptedOnLoopbackOnly() throws {
        for url in ["http://127.0.0.1:8080", "http://localhost:9"] {
            #expect(try SettingsResolver().resolve(flags: ["warehouse_base_url": url], environment: [:], file: nil, forRun: false)
                .reservationRetry.baseURL == url)
        }
    }

    @Test func theCallEncodesTheIdAsOnePathSegmentAndSendsTheContractsBody() throws {
        let call = ReservationCall(
            attemptID: 1, orderID: UUID(uuidString: "6F1C2A8E-0000-4000-8000-000000000001")!, reservationID: "../a b/c",
            attempt: 1, idempotencyKey: String(repeating: "a", count: 64), orderNumber: "ORD-1", sku: "SKU-\"1\"",
            warehouseID: nil)
        #expect(call.pathSegment == "%2E%2E%2Fa%20b%2Fc", "no dot segment either")
        let body = try JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any]
        #expect(body?["order_id"] as? String == "6f1c2a8e-0000-4000-8000-000000000001")
        #expect(body?["order_number"] as? String == "ORD-1")
        #expect(body?["sku"] as? String == "SKU-\"1\"")
    }

    @Test func answersAreSummarisedWithoutQuotingArbitraryBodies() {
        #expect(WarehouseAnswer.response(status: 404, retryAfter: nil, body: Self.json(#"{"error": "reservation_not_found"}"#)).summary == "HTTP 404 reservation_not_found")
        #expect(WarehouseAnswer.response(status: 500, retryAfter: nil, body: Self.json(#"{"error": "<script>x</script>"}"#)).summary == "HTTP 500")
        #expect(WarehouseAnswer.failure(.timeout).summary == "timeout")
    }

    @Test func countsAreSnakeCasedAndAllPresent() {
        var counts = ReservationRetryCounts()
        counts.count(.alreadyConfirmed)
        counts.count(.permanent(.insufficientStock))
        let named = counts.named
        #expect(named["already_confirmed"] == 1 && named["calls"] == 2 && named["permanent"] == 1)
        #expect(named.count == 17 && named["skipped_malformed"] == 0 && named["would_call"] == 0 && named["skipped_locked"] == 0)
    }

    @Test func metricsExportEveryOutcomeAttemptAndReasonWithZeros() {
        var snapshot = ReservationRetrySnapshot()
        snapshot.attemptsByOutcome = ["confirmed": 4]
        snapshot.pendingByAttempt = [2: 3]
        snapshot.circuitOpen = true
        snapshot.circuitOpenRuns = 2
        let text = MetricExposition.render(snapshot.metricFamilies(maxAttempts: 5))
        #expect(text.contains("checkout_nightly_reservation_retry_attempts_total{outcome=\"confirmed\"} 4\n"))
        #expect(text.contains("checkout_nightly_reservation_retry_attempts_total{outcome=\"interrupted\"} 0\n"))
        #expect(text.contains("checkout_nightly_reservation_retry_pending{attempt=\"2\"} 3\n"))
        #expect(text.contains("checkout_nightly_reservation_retry_pending{attempt=\"5\"} 0\n"))
        #expect(text.contains("checkout_nightly_reservation_retry_exhausted{reason=\"attempts_exhausted\"} 0\n"))
        #expect(text.contains("checkout_nightly_reservation_retry_circuit_open_runs 2\n"))
    }
}
