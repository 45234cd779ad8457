/// The settings one step declares for itself, in its own files: the values with their defaults (`init()`), the
/// definitions that set them (names, and from them the environment variables and config-file keys), and the
/// checks across them. A step lists its groups (`NightlyStep.settingsGroups`); the resolver reads every group of
/// the step list; `Settings` keeps one value per group (`settings[RecoverySettings.self]`, or a property the
/// group's file declares on `Settings`).
public protocol SettingsGroup: Sendable, Equatable {
    /// The defaults.
    init()
    /// The group's settings, in the order they are read.
    static var definitions: [SettingsResolver.Definition] { get }
    /// Checks across the group's values once every source is read (a bad value names its setting; the resolver
    /// adds where it was set). `forRun` is false for the commands that run no step.
    func validate(in settings: Settings, forRun: Bool) throws
}

extension SettingsGroup {
    public func validate(in settings: Settings, forRun: Bool) throws {}

    /// True when `other` is a value of this group equal to this one.
    func isEqual(to other: any SettingsGroup) -> Bool { (other as? Self) == self }

    /// True when every value is the default.
    var isDefault: Bool { self == Self() }
}
