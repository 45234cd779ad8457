/// The steps' settings groups inside `Settings`, keyed by the group's type. A group never set reads as its
/// defaults, and compares equal to them.
struct SettingsGroups: Sendable, Equatable {
    private var values: [ObjectIdentifier: any SettingsGroup] = [:]

    subscript<Group: SettingsGroup>(_ group: Group.Type) -> Group {
        get { values[ObjectIdentifier(group)] as? Group ?? Group() }
        set { values[ObjectIdentifier(group)] = newValue }
    }

    static func == (lhs: SettingsGroups, rhs: SettingsGroups) -> Bool {
        Set(lhs.values.keys).union(rhs.values.keys).allSatisfy { key in
            switch (lhs.values[key], rhs.values[key]) {
            case let (left?, right?): left.isEqual(to: right)
            case let (value?, nil), let (nil, value?): value.isDefault
            case (nil, nil): true
            }
        }
    }
}
