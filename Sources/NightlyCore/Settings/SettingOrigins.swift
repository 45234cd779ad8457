/// Where each setting of a `Settings` value was given, by setting name, so that a check made after resolving (a
/// folder that cannot be read, a token file others may read) can say where to fix it.
///
/// Not part of the settings' value: two `Settings` holding the same values are equal wherever they were given.
public struct SettingOrigins: Sendable, Equatable {
    private var byName: [String: SettingOrigin] = [:]

    public init() {}

    /// Where `name` was given; `.defaultValue` when it was not given anywhere.
    public subscript(name: String) -> SettingOrigin {
        get { byName[name] ?? .defaultValue }
        set { byName[name] = newValue }
    }

    public static func == (lhs: SettingOrigins, rhs: SettingOrigins) -> Bool { true }
}
