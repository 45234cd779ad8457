import Foundation
import NightlyCore

/// The retention step (`run --only retention`): keeps nothing longer than needed. Outbox bodies and headers are
/// cleared a set time after dispatch, the recovery ledger's personal fields after theirs, releases and review
/// copies beyond `keep_releases` or older than a set time are removed. See docs/privacy.md.
public struct RetentionStep: NightlyStep {
    public let name = StepName.retention
    public let kind = StepKind.pass
    public let settingsGroups: [any SettingsGroup.Type] = [RetentionSettings.self]

    public init() {}

    public func run(_ context: StepContext) async throws -> StepResult<RetentionCounts> {
        StepResult(
            counts: try await Retention().run(
                connection: context.connection, settings: context.settings, now: context.now,
                outputDirectory: context.settings.outputDirectory))
    }
}

extension StepName {
    public static let retention: StepName = "retention"
}
