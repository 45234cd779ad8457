/// The retry ledger's state after a run, for the pass's metric file.
public struct ReservationRetrySnapshot: Sendable, Equatable {
    /// Attempts ever made, by outcome (from the attempt ledger, so they survive the loss of the machine).
    public var attemptsByOutcome: [String: Int] = [:]
    /// Pending errors by the number of the attempt they wait for.
    public var pendingByAttempt: [Int: Int] = [:]
    /// Errors waiting for a person, by reason.
    public var exhaustedByReason: [String: Int] = [:]
    /// True when this run's circuit breaker opened.
    public var circuitOpen = false
    /// Runs in a row, this one included, whose circuit breaker opened.
    public var circuitOpenRuns = 0

    public init() {}

    /// The metric families; every outcome, attempt number and reason is exported, zero included.
    public func metricFamilies(maxAttempts: Int) -> [MetricFamily] {
        [
            MetricFamily(
                name: "checkout_nightly_reservation_retry_attempts_total",
                help: "Calls to the warehouse service ever made by the retry pass, by outcome (from the attempt ledger).",
                kind: .counter,
                samples: ConfirmationOutcome.allNames.map { .init(["outcome": $0], Double(attemptsByOutcome[$0] ?? 0)) }),
            MetricFamily(
                name: "checkout_nightly_reservation_retry_pending",
                help: "Failed reservation confirmations waiting for their next attempt, by the number of that attempt.",
                kind: .gauge,
                samples: (1...max(1, maxAttempts)).map { .init(["attempt": String($0)], Double(pendingByAttempt[$0] ?? 0)) }),
            MetricFamily(
                name: "checkout_nightly_reservation_retry_exhausted",
                help: "Failed reservation confirmations the retry pass gave up on, waiting for a person, by reason.",
                kind: .gauge,
                samples: ExhaustedReason.allCases.map { .init(["reason": $0.rawValue], Double(exhaustedByReason[$0.rawValue] ?? 0)) }),
            .single(
                "checkout_nightly_reservation_retry_circuit_open", .gauge,
                "1 when the retry pass's last run stopped calling because its circuit breaker opened.", circuitOpen ? 1 : 0),
            .single(
                "checkout_nightly_reservation_retry_circuit_open_runs", .gauge,
                "Runs of the retry pass in a row, the last one included, whose circuit breaker opened.", Double(circuitOpenRuns)),
        ]
    }
}
