/// The expired-session cleanup's settings (plan task 2.3, docs/passes.md).
public struct ExpiredSessionSettings: SettingsGroup {
    /// How long past `expires_at` a session is kept before the pass deletes it.
    public var retention: Duration = .seconds(7 * 86400)
    /// Sessions per transaction.
    public var batchSize = 1000
    /// When the pass stops starting new batches.
    public var timeLimit: Duration = .seconds(300)

    public init() {}

    /// `session_retention`, `expired_session_*`.
    public static let definitions = [
        SettingsResolver.duration("session_retention", \.expiredSessions.retention),
        SettingsResolver.count("expired_session_batch_size", \.expiredSessions.batchSize, minimum: 1),
        SettingsResolver.duration("expired_session_time_limit", \.expiredSessions.timeLimit),
    ]
}

extension Settings {
    /// The expired-session cleanup's settings.
    public var expiredSessions: ExpiredSessionSettings {
        get { self[ExpiredSessionSettings.self] }
        set { self[ExpiredSessionSettings.self] = newValue }
    }
}
