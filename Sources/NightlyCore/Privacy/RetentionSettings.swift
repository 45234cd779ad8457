import Foundation

/// How long the batch keeps personal data and published output (the `retention` step, docs/privacy.md).
public struct RetentionSettings: Sendable, Equatable {
    /// Outbox recipient, subject, bodies and headers are cleared this long after dispatch.
    public var outboxContent: TimeInterval = 7 * 86400
    /// The recovery ledger's recipient and subject are cleared this long after the message was recorded.
    public var recoveryPersonalData: TimeInterval = 180 * 86400
    /// Releases (site and e-mail review copies) older than this are removed, the published one never.
    public var releases: TimeInterval = 30 * 86400
    /// Rows cleared per transaction.
    public var batchSize = 1000

    public init() {}
}

extension RetentionSettings: SettingsGroup {
    /// The retention settings (`retention_*`).
    public static let definitions: [SettingsResolver.Definition] = [
        SettingsResolver.duration("retention_outbox_content", \.retention.outboxContent),
        SettingsResolver.duration("retention_recovery_personal_data", \.retention.recoveryPersonalData),
        SettingsResolver.duration("retention_releases", \.retention.releases),
        SettingsResolver.count("retention_batch_size", \.retention.batchSize, minimum: 1),
    ]
}

extension Settings {
    /// How long personal data and releases are kept (the retention step).
    public var retention: RetentionSettings {
        get { self[RetentionSettings.self] }
        set { self[RetentionSettings.self] = newValue }
    }
}
