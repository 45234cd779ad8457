import Foundation

/// What one step counted in a run: one `struct` of `Int` properties per step, every property a count that is
/// always reported, zero included, so that metrics never miss one. Its snake-cased property names are the
/// count names of the log line, the run ledger's JSON and the `item` label of the metric samples.
public protocol StepCounts: Codable, Sendable, Equatable {
    init()
}

extension StepCounts {
    /// Every count by its name (`itemsDeleted` becomes `items_deleted`).
    public var named: [String: Int] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // A struct of Int properties always encodes, and always decodes as a dictionary of Ints.
        guard let data = try? encoder.encode(self), let counts = try? JSONDecoder().decode([String: Int].self, from: data)
        else { preconditionFailure("\(Self.self) must hold only Int properties") }
        return counts
    }

    /// The counts as one log value: `cleaned 3 · conflicts 0 · …`, sorted by name.
    public var logValue: String { Formatting.counts(named) }
}

/// The counts of a step that counts nothing of its own.
public struct NoCounts: StepCounts {
    public init() {}
}
