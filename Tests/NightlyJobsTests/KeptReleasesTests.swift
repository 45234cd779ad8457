import Foundation
@testable import NightlyJobs
import Testing

/// Retention and `forget` find a message's review copies and review rows by its id: in file names and in the
/// lines of the site's pages and CSV files.
@Suite("Kept releases: finding a message's files and review rows by its id")
struct KeptReleasesTests {
    let id = UUID(uuidString: "9f2c6cab-f5a2-4dd0-bc7e-e3b93715313c")!

    func line(_ text: String, namesAnyOf ids: Set<UUID>) -> Bool {
        var text = text
        return text.withUTF8 { KeptReleases.line($0, namesAnyOf: ids) }
    }

    @Test func aRenderedFileNamesItsMessage() {
        #expect(KeptReleases.messageID(ofFile: "first_email-de-DE-9f2c6cab-f5a2-4dd0-bc7e-e3b93715313c.eml") == id)
        #expect(KeptReleases.messageID(ofFile: "push-ja-JP-9F2C6CAB-F5A2-4DD0-BC7E-E3B93715313C.txt") == id)
        #expect(KeptReleases.messageID(ofFile: "9f2c6cab-f5a2-4dd0-bc7e-e3b93715313c.html") == nil, "no stage or locale")
        #expect(KeptReleases.messageID(ofFile: "emails-1.html") == nil)
    }

    @Test func aLineNamesAMessageWhereverItsIdStands() {
        let ids: Set = [id]
        for text in [
            "<td><a href=\"../emails/first_email-de-DE-9f2c6cab-f5a2-4dd0-bc7e-e3b93715313c.html\">view</a></td>",
            "9F2C6CAB-F5A2-4DD0-BC7E-E3B93715313C,first_email,de-DE",
            "0700428e-471e-4959-c498-c7cc18f6f34e9f2c6cab-f5a2-4dd0-bc7e-e3b93715313c",
            "abc9f2c6cab-f5a2-4dd0-bc7e-e3b93715313c",
        ] {
            #expect(line(text, namesAnyOf: ids), "\(text)")
        }
        for text in [
            "", "0700428e-471e-4959-c498-c7cc18f6f34e,first_email", "9f2c6cab-f5a2-4dd0-bc7e-e3b93715313",
            "9f2c6cab-f5a2-4dd0-bc7e_e3b93715313c", "9f2c6cab f5a2 4dd0 bc7e e3b93715313c",
        ] {
            #expect(!line(text, namesAnyOf: ids), "\(text)")
        }
        #expect(!line("first_email-de-DE-9f2c6cab-f5a2-4dd0-bc7e-e3b93715313c.html", namesAnyOf: []))
    }

    /// Thirty days after a backlog night, retention looks for tens of thousands of messages at once: each line is
    /// read once, not once per message.
    @Test func aNightsWorthOfIdsIsFoundInEveryLineThatNamesOne() {
        let ids = (0..<20_000).map { _ in UUID() }
        let wanted = Set(ids.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element))
        let lines = ids.map { "<tr><td>first_email</td><td><a href=\"../emails/first_email-en-US-\($0.uuidString.lowercased()).html\">" }
        let found = lines.filter { line($0, namesAnyOf: wanted) }.count
        #expect(found == wanted.count)
    }
}
