/// Stops a run's calls after too many transient failures in a row: the service is down or overloaded, so the
/// remaining errors wait for the next run instead of using up their attempts.
public struct CircuitBreaker: Sendable, Equatable {
    /// Consecutive transient failures that open the circuit.
    public let threshold: Int
    /// Transient failures since the last answer that was not one.
    public private(set) var consecutiveFailures = 0
    /// True once the threshold was reached; stays open for the rest of the run.
    public private(set) var isOpen = false

    public init(threshold: Int) { self.threshold = threshold }

    /// Counts one outcome; returns true when this outcome opened the circuit.
    @discardableResult
    public mutating func record(_ outcome: ConfirmationOutcome) -> Bool {
        guard outcome.isTransientFailure else {
            consecutiveFailures = 0
            return false
        }
        consecutiveFailures += 1
        guard !isOpen, consecutiveFailures >= threshold else { return false }
        isOpen = true
        return true
    }
}
