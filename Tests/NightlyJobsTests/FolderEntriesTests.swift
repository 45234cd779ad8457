import Foundation
@testable import NightlyJobs
import Testing
import TestSupport

/// Release folders are read and removed a name at a time.
@Suite("Folder entries: reading and removing a release folder a name at a time")
struct FolderEntriesTests {
    @Test func removesTheWholeTreeButNeverFollowsALink() throws {
        let root = try makeTemporaryDirectory("folder-entries")
        let release = root.appendingPathComponent("release")
        let outside = root.appendingPathComponent("outside")
        for folder in ["release/emails/gallery", "release/site/csv", "outside"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        for file in ["release/emails/a.eml", "release/emails/gallery/a.html", "release/site/csv/x.csv", "outside/keep.txt"] {
            try "x".write(to: root.appendingPathComponent(file), atomically: false, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(at: release.appendingPathComponent("site/link"), withDestinationURL: outside)

        var entries: [String: Bool] = [:]
        FolderEntries.forEach(in: release.appendingPathComponent("site").path) { name, isFolder in entries[name] = isFolder }
        #expect(entries == ["csv": true, "link": false], "a link to a folder is not a folder")

        let linkedRelease = root.appendingPathComponent("linked-release")
        try FileManager.default.createSymbolicLink(at: linkedRelease, withDestinationURL: outside)
        try FolderEntries.removeTree(linkedRelease.path)
        #expect(!FileManager.default.fileExists(atPath: linkedRelease.path), "the link itself goes")

        try FolderEntries.removeTree(release.path)
        #expect(!FileManager.default.fileExists(atPath: release.path))
        #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent("keep.txt").path), "the link's target stays")
        try FolderEntries.removeTree(release.path)  // already gone: no error
    }

    /// Whether a folder has any entry is answered from its first name, not a list of a night's review copies.
    @Test func anyEntryIsFoundWithoutListingTheFolder() throws {
        let root = try makeTemporaryDirectory("folder-entries")
        #expect(!FolderEntries.any(in: root.path))
        #expect(!FolderEntries.any(in: root.appendingPathComponent("missing").path))
        try "x".write(to: root.appendingPathComponent("a.eml"), atomically: false, encoding: .utf8)
        #expect(FolderEntries.any(in: root.path))
    }
}
