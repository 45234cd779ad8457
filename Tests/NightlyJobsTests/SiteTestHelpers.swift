import Foundation
import Logging
import NightlyCore
import NightlyJobs
import Postgres
import Rendering
import TestSupport

/// Builds the site for `database` at `now` with the given steps and returns the published `site/` folder.
func buildSite(_ database: TestDatabase, now: Date = testNow, steps: [StepName] = [.reports]) async throws -> URL {
    let output = try makeTemporaryDirectory("site")
    try await NightlyRun(
        settings: testSettings(database: database, output: output, now: now, steps: steps),
        logger: Logger(label: "test")
    ).execute()
    return output.appendingPathComponent("site").resolvingSymlinksInPath()
}

/// The text of a site file.
func siteFile(_ site: URL, _ path: String) throws -> String {
    try String(contentsOf: site.appendingPathComponent(path), encoding: .utf8)
}

/// Every page of the site, by file name.
func sitePages(_ site: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.hasSuffix(".html") }.sorted()
}

/// A CSV download parsed back (RFC 4180: quoted fields may hold commas, quotes and line breaks), header first,
/// without its last column (the time the data was taken, checked here).
func csvRows(_ site: URL, _ id: String) throws -> [[String]] {
    let text = try siteFile(site, "csv/\(id).csv")
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text)[...]
    while let character = characters.popFirst() {
        if quoted {
            if character == "\"" {
                if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
            } else {
                field.append(character)
            }
        } else if character == "\"" {
            quoted = true
        } else if character == "," {
            row.append(field); field = ""
        } else if character == "\r\n" || character == "\n" {
            row.append(field); field = ""
            rows.append(row); row = []
        } else {
            field.append(character)
        }
    }
    // Every file ends in the column of the time its data was taken, the same ISO 8601 time on every row.
    let stamps = Set(rows.dropFirst().compactMap(\.last))
    guard rows.first?.last == CSV.takenAtColumn, stamps.count <= 1, stamps.allSatisfy({ ISO8601Timestamp.parse($0) != nil })
    else {
        throw TestEnvironmentError("csv/\(id).csv lacks the \"\(CSV.takenAtColumn)\" column of one ISO 8601 time on every row")
    }
    return rows.map { Array($0.dropLast()) }
}

/// The value of the headline figure labelled `label` on a page (the line after its label).
func statValue(_ html: String, _ label: String) throws -> String? {
    for text in try HTMLDocument(html: html).texts(of: "div") {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.first == label, lines.count > 1 { return lines[1] }
    }
    return nil
}
