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

extension SettingsResolver {
    /// The retention settings (`retention_*`), appended to the resolver's definitions.
    static let retentionDefinitions: [Definition] = [
        duration("retention_outbox_content", \.retention.outboxContent),
        duration("retention_recovery_personal_data", \.retention.recoveryPersonalData),
        duration("retention_releases", \.retention.releases),
        Definition(name: "retention_batch_size") {
            $0.retention.batchSize = try parseCount($1, "retention_batch_size", minimum: 1)
        },
    ]
}
