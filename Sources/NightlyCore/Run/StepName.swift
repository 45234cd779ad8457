import Foundation

/// The name of one selectable step of a run (`run --only`), such as `stuck-carts`. Each step declares its own
/// name beside its code; the list of steps a build can run is the one step list in `NightlyJobs`.
public struct StepName: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public var description: String { rawValue }

    /// The name as it appears in metric file names (`checkout_nightly_<name>.prom`) and environment variables.
    public var snakeCase: String { rawValue.replacingOccurrences(of: "-", with: "_") }

    /// Parses a comma-separated `--only` list against the steps a build knows, or `all` for every one (a
    /// schedule's name in the systemd units); returns them in `known`'s (run) order. Unknown or missing names are
    /// a configuration error naming them and the choices.
    public static func parseList(_ text: String, known: [StepName]) throws -> [StepName] {
        if text.trimmingCharacters(in: .whitespaces) == "all" { return known }
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else {
            throw ConfigurationError(setting: "only", message: "--only needs at least one step name")
        }
        let choices = known.map(\.rawValue).joined(separator: ", ") + ", or all"
        for name in names where !known.contains(StepName(rawValue: name)) {
            throw ConfigurationError(
                setting: "only", message: "--only names an unknown step \"\(name)\"; choose from \(choices)")
        }
        return known.filter { names.contains($0.rawValue) }
    }
}

/// An enumeration ordered by the order its cases are declared in.
public protocol CaseOrdered: CaseIterable, Comparable {}

extension CaseOrdered {
    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
