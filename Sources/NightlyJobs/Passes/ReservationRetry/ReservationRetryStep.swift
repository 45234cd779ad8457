import Foundation
import NightlyCore
import Postgres

/// The `reservation-retry` step (plan task 2.6): the run's adapter around `ReservationRetrier`, with the pass's
/// metric families. Skipped, and says so, when `warehouse_base_url` is not set. See docs/reservation-retry.md.
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
            return StepResult(outcome: .skipped, counts: ReservationRetryCounts())
        }
        let token = try WarehouseToken.load(context.settings, environment: environment)
        let retrier = ReservationRetrier(queries: context.queries, settings: settings)
        let counts = try await retrier.run(
            connection: context.connection, baseURL: baseURL, token: token, now: context.now, runID: context.runID,
            logger: context.logger, dryRun: context.settings.dryRun)
        if !context.settings.dryRun {
            let snapshot = try retrier.snapshot(connection: context.connection, circuitOpen: counts.circuitOpen == 1)
            context.metrics.add(snapshot.metricFamilies(maxAttempts: settings.delays.count), for: name)
        }
        return StepResult(outcome: counts.circuitOpen == 1 ? .stoppedEarly : .succeeded, counts: counts)
    }
}

extension StepName {
    public static let reservationRetry: StepName = "reservation-retry"
}
