import Foundation

/// When the alerts call a step stale, matching the schedules (docs/runbook.md): each step's metric file carries
/// its threshold beside its last success (`checkout_nightly_step_stale_after_seconds`), so one alert rule serves
/// every schedule. The outbox's threshold is exported with the recovery snapshot.
public struct StalenessSettings: Sendable, Equatable {
    /// The stuck-cart pass runs every 5 minutes.
    public var stuckCarts: TimeInterval = 30 * 60
    /// The recovery pass runs every 15 minutes.
    public var recovery: TimeInterval = 3600
    /// Every other step (expired sessions, reports, publish, retention) runs nightly.
    public var nightly: TimeInterval = 26 * 3600
    /// The oldest notification not dispatched yet may be this old before the outbox counts as not draining.
    public var outboxPendingAge: TimeInterval = 3600

    public init() {}

    /// The threshold of the step named `step` (a `StepName` or `publish`, `retention`).
    public func staleAfter(step: String) -> TimeInterval {
        switch step {
        case "stuck-carts": stuckCarts
        case "recovery": recovery
        default: nightly
        }
    }
}

extension SettingsResolver {
    /// The alert thresholds (`stale_after_*`, `outbox_max_pending_age`), appended to the resolver's definitions.
    static let stalenessDefinitions: [Definition] = [
        duration("stale_after_stuck_carts", \.staleness.stuckCarts),
        duration("stale_after_recovery", \.staleness.recovery),
        duration("stale_after_nightly", \.staleness.nightly),
        duration("outbox_max_pending_age", \.staleness.outboxPendingAge),
    ]
}
