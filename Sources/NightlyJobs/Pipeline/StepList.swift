import NightlyCore

/// The steps this build can run, in run order: the one place a new step is registered.
public enum StepList {
    public static let all: [any NightlyStep] = [
        StuckCartsStep(),
        ExpiredSessionsStep(),
        RecoveryPass(),
        ReservationRetryStep(),
        ReportsStep(),
        RetentionStep(),
    ]

    /// Every step's name, in run order.
    public static var names: [StepName] { all.map(\.name) }

    /// Every step's settings groups, each once, in run order: what the resolver reads beside the run-wide
    /// settings. Every group is read whichever steps a run selects, so one config file serves every schedule.
    public static var settingsGroups: [any SettingsGroup.Type] {
        var seen = Set<ObjectIdentifier>()
        return all.flatMap(\.settingsGroups).filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// Runs every step's own configuration check (`NightlyStep.checkConfiguration`).
    public static func checkConfiguration(_ settings: Settings) throws {
        for step in all { try step.checkConfiguration(settings) }
    }
}

extension SettingsResolver {
    /// The resolver of this build: `only` chooses among `knownSteps`, and every step list's settings group is
    /// read.
    public init(knownSteps: [StepName] = StepList.names) {
        self.init(knownSteps: knownSteps, groups: StepList.settingsGroups)
    }
}
