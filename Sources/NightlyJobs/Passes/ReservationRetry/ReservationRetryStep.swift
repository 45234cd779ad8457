import Foundation
import NightlyCore
import Postgres

/// The `reservation-retry` step: the run's adapter around `ReservationRetrier`, with the pass's metric families.
/// Skipped, and says so, when `warehouse_base_url` is not set.
public struct ReservationRetryStep: NightlyStep {
    public let name = StepName.reservationRetry
    public let changesData = true
    /// Where the token may come from (`CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN`).
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Checks before anything touches the database that the token can be read when the run will call the service,
    /// so a missing or malformed token exits 64 naming where it was looked for.
    public static func checkToken(_ settings: Settings, environment: [String: String]) throws {
        guard settings.steps.contains(.reservationRetry), settings.reservationRetry.baseURL != nil else { return }
        _ = try WarehouseToken.load(settings.reservationRetry, environment: environment)
    }

    public func run(_ context: RunContext) async throws -> StepResult {
        let settings = context.settings.reservationRetry
        guard let baseURL = settings.baseURL else {
            context.logger.info(
                "warehouse_base_url is not set; the reservation-retry pass has no service to call",
                metadata: ["step": "\(name.rawValue)"])
            return StepResult(outcome: .skipped, counts: ReservationRetryCounts().named)
        }
        let token = try WarehouseToken.load(settings, environment: environment)
        let retrier = ReservationRetrier(queries: context.queries, settings: settings)
        let counts = try await retrier.run(
            connection: context.connection, baseURL: baseURL, token: token, now: context.now, runID: context.runID,
            logger: context.logger, dryRun: context.settings.dryRun)
        if !context.settings.dryRun {
            let snapshot = try retrier.snapshot(connection: context.connection, circuitOpen: counts.circuitOpen == 1)
            context.output.metrics[name.rawValue] = snapshot.metricFamilies(maxAttempts: settings.delays.count)
        }
        return StepResult(outcome: counts.circuitOpen == 1 ? .stoppedEarly : .succeeded, counts: counts.named)
    }
}
