import Foundation

/// Everything the reservation-confirmation retry pass (plan task 2.6) is configured with. See
/// docs/reservation-retry.md.
public struct ReservationRetrySettings: Sendable, Equatable {
    /// The warehouse service's base URL (`https://…`; plain `http` only on loopback); nil skips the pass.
    public var baseURL: String?
    /// A file holding the bearer token; without it the token comes from `CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN`.
    public var tokenFile: String?
    /// Failed confirmations of orders created within this time before the run are enrolled.
    public var window: TimeInterval = 24 * 3600
    /// The wait before each attempt, after the previous one (the order's own confirmation for the first); the
    /// number of delays is the number of attempts.
    public var delays: [TimeInterval] = [5 * 60, 15 * 60, 3600, 6 * 3600, 24 * 3600]
    /// Calls in flight at once.
    public var maxInFlight = 8
    /// Consecutive transient failures in one run after which the pass stops calling until the next run.
    public var circuitBreakerThreshold = 10
    /// How long to wait for the service to accept a connection.
    public var connectTimeout: TimeInterval = 5
    /// How long one call may take in all.
    public var requestTimeout: TimeInterval = 30

    /// The environment variable that may hold the bearer token.
    public static let tokenEnvironmentName = "CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN"

    public init() {}

    /// The schedule the delays make.
    public var schedule: ReservationRetrySchedule { ReservationRetrySchedule(delays: delays) }
}

extension ReservationRetrySettings: SettingsGroup {
    /// The retry pass's settings (`warehouse_*`, `reservation_retry_*`). The token itself is no setting: it is
    /// read from `warehouse_token_file` or the environment when the pass runs, so it never appears on a command
    /// line, in a config file or in a log line.
    public static let definitions: [SettingsResolver.Definition] = [
        SettingsResolver.Definition(name: "warehouse_base_url") { settings, value in
            let trimmed = value.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            guard !trimmed.isEmpty else {
                settings.reservationRetry.baseURL = nil
                return
            }
            // https only; plain http for loopback hosts (tests and the demo), so the token never crosses a network
            // in clear text.
            let loopback: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]
            guard let url = URL(string: trimmed), let host = url.host, !host.isEmpty,
                url.scheme == "https" || (url.scheme == "http" && loopback.contains(host))
            else {
                throw ConfigurationError(
                    setting: "warehouse_base_url",
                    message: "warehouse_base_url is \"\(value)\", which is not an absolute https URL such as https://warehouse.example.com (plain http is allowed only for 127.0.0.1 and localhost)")
            }
            // The reservation path is appended to the base URL: a query or fragment would end up before it.
            guard !trimmed.contains("?"), !trimmed.contains("#") else {
                throw ConfigurationError(
                    setting: "warehouse_base_url",
                    message: "warehouse_base_url is \"\(value)\", which has a query or fragment (? or #); give the service's base URL only, such as https://warehouse.example.com/api: the batch appends /v1/reservations/{id}/confirm to it")
            }
            settings.reservationRetry.baseURL = trimmed
        },
        SettingsResolver.Definition(name: "warehouse_token_file") { settings, value in
            guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigurationError(setting: "warehouse_token_file", message: "warehouse_token_file is empty; give the path of a file holding the token")
            }
            settings.reservationRetry.tokenFile = value
        },
        SettingsResolver.Definition(name: "warehouse_connect_timeout") {
            $0.reservationRetry.connectTimeout = try SettingsResolver.parseDuration($1, "warehouse_connect_timeout").timeInterval
        },
        SettingsResolver.Definition(name: "warehouse_request_timeout") {
            $0.reservationRetry.requestTimeout = try SettingsResolver.parseDuration($1, "warehouse_request_timeout").timeInterval
        },
        SettingsResolver.Definition(name: "reservation_retry_window") {
            $0.reservationRetry.window = try SettingsResolver.parseDuration($1, "reservation_retry_window").timeInterval
        },
        SettingsResolver.Definition(name: "reservation_retry_delays") { settings, value in
            let parts = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else {
                throw ConfigurationError(
                    setting: "reservation_retry_delays",
                    message: "reservation_retry_delays is \"\(value)\"; give one or more durations separated by commas, such as 5m,15m,1h,6h,24h")
            }
            settings.reservationRetry.delays = try parts.map { try SettingsResolver.parseDuration($0, "reservation_retry_delays").timeInterval }
        },
        SettingsResolver.Definition(name: "reservation_retry_max_in_flight") {
            $0.reservationRetry.maxInFlight = try SettingsResolver.parseCount($1, "reservation_retry_max_in_flight", minimum: 1)
        },
        SettingsResolver.Definition(name: "reservation_retry_circuit_breaker") {
            $0.reservationRetry.circuitBreakerThreshold = try SettingsResolver.parseCount($1, "reservation_retry_circuit_breaker", minimum: 1)
        },
    ]
}

extension Settings {
    /// The reservation-confirmation retry pass's settings.
    public var reservationRetry: ReservationRetrySettings {
        get { self[ReservationRetrySettings.self] }
        set { self[ReservationRetrySettings.self] = newValue }
    }
}
