import NightlyCore
import NightlyJobs
import Foundation
import Testing
import TestSupport

@Suite("Settings: each step's settings groups are read through the step list")
struct StepSettingsTests {
    /// Every setting the steps of the step list declare, as `step: name`.
    static let declared: [String] = StepList.all.flatMap { step in
        step.settingsGroups.flatMap { group in group.definitions.map { "\(step.name): \($0.name)" } }
    }

    @Test func everyDeclaredSettingIsKnownOnce() {
        let names = SettingsResolver().settingNames
        #expect(Set(names).count == names.count, "a setting is declared twice: \(names)")
        #expect(Self.declared.count > 20, "the passes' settings are declared by their steps: \(Self.declared)")
        for entry in Self.declared {
            let name = String(entry.split(separator: " ").last ?? "")
            #expect(names.contains(name), "\(entry) is not read by the resolver")
        }
    }

    /// A value in the setting's environment variable is read: it either changes the settings or is refused
    /// naming that variable. A setting the resolver does not read leaves the defaults untouched.
    @Test(arguments: declared)
    func everyDeclaredSettingIsReadFromTheEnvironment(_ entry: String) throws {
        let name = String(entry.split(separator: " ").last ?? "")
        let variable = SettingsResolver.Definition(name: name) { _, _ in }.environmentName
        do {
            let settings = try SettingsResolver().resolve(
                flags: [:], environment: [variable: "not a valid value"], file: nil, forRun: false)
            #expect(settings != Settings(), "\(entry): \(variable) was not read")
        } catch let error as ConfigurationError {
            #expect(error.setting == name && error.origin == .environment(variable), "\(entry): \(error)")
        }
    }

    /// The README's settings table and the resolver agree: a group a step forgets to list, or a setting left
    /// out of the docs, fails here.
    @Test func theReadmeTableListsExactlyTheResolversSettings() throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        let table = readme.components(separatedBy: "| setting | default | meaning |\n").dropFirst().first?
            .components(separatedBy: "\n\n").first ?? ""
        let documented = table.split(separator: "\n").dropFirst().flatMap { row in
            (row.split(separator: "|").first ?? "").split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }
                .map { String($0.element) }
        }
        #expect(Set(documented) == Set(SettingsResolver().settingNames))
    }
}
