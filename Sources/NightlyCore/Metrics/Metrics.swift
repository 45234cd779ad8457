import Foundation

/// One metric family of the Prometheus text format: a name, its help, its type and its samples.
public struct MetricFamily: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case gauge
        case counter
    }

    /// One sample: its label pairs and its value.
    public struct Sample: Sendable, Equatable {
        public var labels: [String: String]
        public var value: Double

        public init(_ labels: [String: String] = [:], _ value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    public var name: String
    public var help: String
    public var kind: Kind
    public var samples: [Sample]

    public init(name: String, help: String, kind: Kind, samples: [Sample]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.samples = samples
    }

    /// A family with a single unlabelled sample.
    public static func single(_ name: String, _ kind: Kind, _ help: String, _ value: Double) -> MetricFamily {
        MetricFamily(name: name, help: help, kind: kind, samples: [Sample([:], value)])
    }
}

/// Writes the Prometheus text exposition format the way node_exporter's textfile collector wants it:
/// no timestamps, one HELP and TYPE per family, families and label sets sorted so the text is stable.
public enum MetricExposition {
    /// Renders `families`; a family without samples is left out.
    public static func render(_ families: [MetricFamily]) -> String {
        var output = ""
        for family in families.sorted(by: { $0.name < $1.name }) where !family.samples.isEmpty {
            output += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            output += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            let lines = family.samples.map { sample -> String in
                let labels = sample.labels.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\"\(escapeLabelValue($0.value))\"" }
                let labelText = labels.isEmpty ? "" : "{" + labels.joined(separator: ",") + "}"
                return "\(family.name)\(labelText) \(formatValue(sample.value))"
            }
            for line in lines.sorted() { output += line + "\n" }
        }
        return output
    }

    /// Backslash, double quote and newline escaped, as the format requires inside label values.
    public static func escapeLabelValue(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Integers without a fraction, other values in Swift's shortest round-tripping form.
    static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
