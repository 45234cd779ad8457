/// The stuck-cart cleanup's settings (plan task 1.2, docs/passes.md).
public struct StuckCartSettings: SettingsGroup {
    /// How long a cart in checkout with an order must be untouched before the pass cleans it.
    public var gracePeriod: Duration = .seconds(600)
    /// Carts per transaction.
    public var batchSize = 100
    /// When the pass stops starting new batches.
    public var timeLimit: Duration = .seconds(60)

    public init() {}

    /// `stuck_cart_*`.
    public static let definitions = [
        SettingsResolver.duration("stuck_cart_grace_period", \.stuckCarts.gracePeriod),
        SettingsResolver.count("stuck_cart_batch_size", \.stuckCarts.batchSize, minimum: 1),
        SettingsResolver.duration("stuck_cart_time_limit", \.stuckCarts.timeLimit),
    ]
}

extension Settings {
    /// The stuck-cart cleanup's settings.
    public var stuckCarts: StuckCartSettings {
        get { self[StuckCartSettings.self] }
        set { self[StuckCartSettings.self] = newValue }
    }
}
