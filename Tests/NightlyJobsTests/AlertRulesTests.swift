import Foundation
import Testing
import TestSupport

@Suite("Alert rules: every runbook link lands on a heading, every alert has a promtool case")
struct AlertRulesTests {
    static let rules = Repository.root.appendingPathComponent("deploy/prometheus/alerts.yml")
    static let ruleTests = Repository.root.appendingPathComponent("deploy/prometheus/alerts_test.yml")
    static let runbook = Repository.root.appendingPathComponent("docs/runbook.md")

    /// GitHub's anchor for a Markdown heading: lower case, punctuation other than `-` and `_` dropped, spaces
    /// turned into hyphens.
    static func slug(_ heading: String) -> String {
        String(heading.lowercased().compactMap { character -> Character? in
            if character == " " { return "-" }
            return character.isLetter || character.isNumber || character == "-" || character == "_" ? character : nil
        })
    }

    /// The values of `key: …` lines in a YAML file, unquoted.
    static func values(of key: String, in url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let range = trimmed.range(of: key + ": "), trimmed.hasPrefix(key) || trimmed.hasPrefix("- " + key) else { return nil }
            return trimmed[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        }
    }

    @Test func slugsFollowGitHub() {
        #expect(Self.slug("node_exporter cannot read the metric files") == "node_exporter-cannot-read-the-metric-files")
        #expect(Self.slug("3. Reasons and what they usually mean") == "3-reasons-and-what-they-usually-mean")
        #expect(Self.slug("A step is stale") == "a-step-is-stale")
    }

    @Test func everyRunbookURLPointsAtAHeadingOfTheRunbook() throws {
        let markdown = try String(contentsOf: Self.runbook, encoding: .utf8)
        let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("#") }
            .map { Self.slug($0.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)) }
        #expect(Set(headings).count == headings.count, "headings with the same anchor: \(headings)")
        let alerts = try Self.values(of: "alert", in: Self.rules)
        let urls = try Self.values(of: "runbook_url", in: Self.rules)
        #expect(alerts.count >= 8 && urls.count == alerts.count, "every alert has a runbook_url: \(alerts) \(urls)")
        for url in urls {
            let parts = url.split(separator: "#", maxSplits: 1)
            #expect(parts.first?.hasSuffix("/docs/runbook.md") == true, "\(url) does not point at docs/runbook.md")
            let anchor = String(parts.last ?? "")
            // An anchor made from a label (`#{{ $labels.reason }}`) is followed for every value of the label by
            // ReservationRetryAlertTests.
            guard !anchor.contains("{{") else { continue }
            #expect(headings.contains(anchor), "\(url): docs/runbook.md has no heading with the anchor #\(anchor)")
        }
    }

    @Test func everyAlertHasAPromtoolCaseThatExpectsItToFire() throws {
        let alerts = Set(try Self.values(of: "alert", in: Self.rules))
        let text = try String(contentsOf: Self.ruleTests, encoding: .utf8)
        // Each alert_rule_test entry: its alertname and whether it expects alerts.
        var firing: Set<String> = []
        for entry in text.components(separatedBy: "alertname: ").dropFirst() {
            let name = String(entry.prefix { !$0.isWhitespace })
            let body = entry.components(separatedBy: "eval_time:").first ?? ""
            if body.contains("exp_labels:") { firing.insert(name) }
        }
        #expect(firing == alerts, "alerts without a firing case: \(alerts.subtracting(firing)); unknown: \(firing.subtracting(alerts))")
    }
}
