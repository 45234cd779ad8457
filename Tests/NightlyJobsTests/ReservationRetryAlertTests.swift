import Foundation
import NightlyCore
import Testing
import TestSupport

/// The retry pass's alerts send people to runbook sections that exist.
@Suite("Reservation retry alerts point at runbook sections")
struct ReservationRetryAlertTests {
    /// GitHub's heading anchors: lower case, spaces to hyphens, punctuation but `-` and `_` dropped.
    static func anchor(_ heading: String) -> String {
        String(heading.lowercased().compactMap { character -> Character? in
            if character == " " { return "-" }
            return character.isLetter || character.isNumber || character == "-" || character == "_" ? character : nil
        })
    }

    @Test func everyRunbookURLOfTheRetryAlertsFollowsToAHeadingOfTheRunbook() throws {
        let runbook = try String(contentsOf: Repository.root.appendingPathComponent("docs/runbook.md"), encoding: .utf8)
        let anchors = Set(runbook.split(separator: "\n").filter { $0.hasPrefix("#") }
            .map { Self.anchor($0.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)) })
        let rules = try String(
            contentsOf: Repository.root.appendingPathComponent("deploy/prometheus/alerts.yml"), encoding: .utf8)
        let retryRules = rules.components(separatedBy: "- alert: ").filter { $0.hasPrefix("Reservation") }
        #expect(retryRules.count == 2)
        for rule in retryRules {
            let line = try #require(rule.split(separator: "\n").first { $0.contains("runbook_url:") })
            let fragment = try #require(line.split(separator: "#").last).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            let expanded = fragment.contains("{{ $labels.reason }}")
                ? ExhaustedReason.allCases.map { fragment.replacingOccurrences(of: "{{ $labels.reason }}", with: $0.rawValue) }
                : [fragment]
            for anchor in expanded {
                #expect(anchors.contains(anchor), "docs/runbook.md has no heading for #\(anchor)")
            }
        }
    }
}
