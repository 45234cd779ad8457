import NightlyCore

/// The steps this build can run, in run order: the one place a new step is registered.
public enum StepList {
    public static let all: [any NightlyStep] = [
        StuckCartsStep(),
        ExpiredSessionsStep(),
        RecoveryPass(),
        ReportsStep(),
        RetentionStep(),
    ]

    /// Every step's name, in run order.
    public static var names: [StepName] { all.map(\.name) }
}
