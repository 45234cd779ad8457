import Foundation
import NightlyCore
import Postgres

/// The `reservation-retry` step (plan task 2.6): the run's adapter around `ReservationRetrier`, with the pass's
/// metric families. Without `warehouse_base_url` it has nothing to call: it says so and succeeds with nothing done
/// (`skipped` is kept for a lock held by another copy, which makes the step stale). See docs/reservation-retry.md.
public struct ReservationRetryStep: NightlyStep {
    public let name = StepName.reservationRetry
    public let kind = StepKind.pass
    public let contract = [
        "orders": ["id", "order_number", "customer_id", "metadata", "created_at"],
        "customers": ["id", "email"],
    ]
    public let settingsGroups: [any SettingsGroup.Type] = [ReservationRetrySettings.self]
    /// Where the token may come from (`CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN`).
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Checks before anything touches the database that the token can be read when the run will call the service,
    /// so a missing, malformed or too open token exits 64 naming where it was set.
    public func checkConfiguration(_ settings: Settings) throws {
        guard settings.steps?.contains(name) ?? true, settings.reservationRetry.baseURL != nil else { return }
        _ = try WarehouseToken.load(settings, environment: environment)
    }

    public func run(_ context: StepContext) async throws -> StepResult<ReservationRetryCounts> {
        let settings = context.settings.reservationRetry
        guard let baseURL = settings.baseURL else {
            context.logger.info(
                "warehouse_base_url is not set; the reservation-retry pass has no service to call",
                metadata: ["step": "\(name.rawValue)"])
            return StepResult(outcome: .succeeded, counts: ReservationRetryCounts())
        }
        let token = try WarehouseToken.load(context.settings, environment: environment)
        let retrier = ReservationRetrier(queries: context.queries, settings: settings)
        let counts: ReservationRetryCounts
        do {
            counts = try await retrier.run(
                connection: context.connection, baseURL: baseURL, token: token, now: context.now, runID: context.runID,
                logger: context.logger, dryRun: context.settings.dryRun)
        } catch {
            // A failed run (a refused token, a lost service) still exports the ledger's state: the alert on
            // exhausted errors must not resolve, nor the attempts counter look reset, because a run failed.
            addLedgerMetricsIfReadable(context, thisRunsCircuitOpen: nil)
            throw error
        }
        if !context.settings.dryRun {
            let snapshot = try retrier.snapshot(connection: context.connection, thisRunsCircuitOpen: counts.circuitOpen == 1)
            context.metrics.add(snapshot.metricFamilies(maxAttempts: settings.delays.count), for: name)
        }
        return StepResult(outcome: counts.circuitOpen == 1 ? .stoppedEarly : .succeeded, counts: counts)
    }

    /// Another copy holds the pass's lock: the ledger's state is exported all the same (read-only).
    public func skippedForLock(_ context: StepContext) {
        addLedgerMetricsIfReadable(context, thisRunsCircuitOpen: nil)
    }

    /// Adds the retry ledger's families (read-only) to the metric file when the pass is configured and the database
    /// can be read; logs why not otherwise. Nil `thisRunsCircuitOpen`: this run decided nothing about the circuit.
    private func addLedgerMetricsIfReadable(_ context: StepContext, thisRunsCircuitOpen: Bool?) {
        let settings = context.settings.reservationRetry
        guard settings.baseURL != nil, !context.settings.dryRun else { return }
        do {
            let snapshot = try ReservationRetrier(queries: context.queries, settings: settings)
                .snapshot(connection: context.connection, thisRunsCircuitOpen: thisRunsCircuitOpen)
            context.metrics.add(snapshot.metricFamilies(maxAttempts: settings.delays.count), for: name)
        } catch {
            context.logger.warning(
                "the retry ledger cannot be read; its metrics are left out of this run's file",
                metadata: ["step": "\(name.rawValue)", "error": "\(error)"])
        }
    }
}

extension StepName {
    public static let reservationRetry: StepName = "reservation-retry"
}
