import Foundation
import NightlyCore
@testable import NightlyJobs
import Testing
import TestSupport

/// Publishing a release: atomic, one publisher at a time, never back to older dashboards, never pruning what
/// another run is staging, never losing the published review copies.
@Suite("Publishing releases")
struct PublishingTests {
    func publisher(_ output: URL, keep: Int = 2) -> ReleasePublisher {
        ReleasePublisher(outputDirectory: output.path, keep: keep)
    }

    func published(_ output: URL, _ path: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }

    /// Stages a release whose site holds `index.html` with `text`.
    func stage(_ publisher: ReleasePublisher, _ name: String, index text: String) throws -> ReleasePublisher.StagedRelease {
        let release = try publisher.stage(releaseName: name) {}
        try AtomicFile.write(text, to: release.site.appendingPathComponent("index.html"))
        return release
    }

    /// Two runs that overlap (the nightly run and the 15-minute recovery run start at 02:00): the second waits
    /// for the output folder until the first has published, then stages on top of it, so neither the first
    /// run's pages nor its review copies are dropped, whichever run started first.
    @Test func overlappingRunsPublishOneAfterTheOtherAndKeepEachOthersFiles() throws {
        let output = try makeTemporaryDirectory("publish")
        let publisher = publisher(output)
        let first = try stage(publisher, "20261130T020001.000Z-aaaaaaaa", index: "first")
        try AtomicFile.write("first's dashboards", to: first.site.appendingPathComponent("reconciliation.html"))
        try AtomicFile.write("a review copy", to: first.emails.appendingPathComponent("first_email-en-US-1.eml"))

        let waiting = DispatchSemaphore(value: 0)
        let staged = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var second: Result<ReleasePublisher.StagedRelease, any Error>?
        Thread.detachNewThread {
            // Named earlier than the first: the order the runs take the lock in is what counts.
            second = Result { try publisher.stage(releaseName: "20261130T020000.000Z-bbbbbbbb") { waiting.signal() } }
            staged.signal()
        }
        #expect(waiting.wait(timeout: .now() + 30) == .success, "the second run waits while the first holds the output folder")
        #expect(staged.wait(timeout: .now() + 0.2) == .timedOut, "and does not stage before the first has published")
        try publisher.publish(first)
        #expect(staged.wait(timeout: .now() + 30) == .success)
        let late = try #require(try second?.get())
        try AtomicFile.write("second", to: late.site.appendingPathComponent("index.html"))
        try publisher.carryOver("emails", into: late)  // what the runner does when recovery rendered nothing
        try publisher.publish(late)

        #expect(try published(output, "site/index.html") == "second")
        #expect(try published(output, "site/reconciliation.html") == "first's dashboards")
        #expect(try published(output, "emails/first_email-en-US-1.eml") == "a review copy")
    }

    @Test func pruningKeepsTheNewestAndNeverTouchesAReleaseBeingStaged() throws {
        let output = try makeTemporaryDirectory("publish")
        let publisher = publisher(output, keep: 2)
        let inProgress = try publisher.scratch(releaseName: "20261130T015959.000Z-cccccccc")
        try AtomicFile.write("still being written", to: inProgress.site.appendingPathComponent("index.html"))
        for second in 0..<4 {
            try publisher.publish(try stage(publisher, "20261130T02000\(second).000Z-0000000\(second)", index: "\(second)"))
        }
        let releases = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("releases").path)
        #expect(releases.filter { !$0.hasPrefix(".") }.sorted() == ["20261130T020002.000Z-00000002", "20261130T020003.000Z-00000003"])
        #expect(FileManager.default.fileExists(atPath: inProgress.site.appendingPathComponent("index.html").path))
    }

    @Test func aRunWithoutMessagesKeepsThePublishedReviewCopiesAndFilesAreNotWorldReadable() throws {
        let output = try makeTemporaryDirectory("publish")
        let publisher = publisher(output)
        let first = try stage(publisher, "20261130T020000.000Z-aaaaaaaa", index: "first")
        try AtomicFile.write("a review copy", to: first.emails.appendingPathComponent("first_email-en-US-1.eml"))
        try publisher.publish(first)

        let second = try stage(publisher, "20261130T021500.000Z-bbbbbbbb", index: "second")
        try publisher.carryOver("emails", into: second)  // what the runner does when recovery rendered nothing
        try publisher.publish(second)
        #expect(try published(output, "emails/first_email-en-US-1.eml") == "a review copy")
        #expect(try published(output, "site/index.html") == "second")

        let attributes = try FileManager.default.attributesOfItem(atPath: output.appendingPathComponent("site/index.html").path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o007 } == 0, "no access for other users")
    }

    @Test func aStagedWriteReplacesACarriedOverFileWithoutChangingThePublishedOne() throws {
        let output = try makeTemporaryDirectory("publish")
        let publisher = publisher(output)
        let first = try stage(publisher, "20261130T020000.000Z-aaaaaaaa", index: "first")
        try AtomicFile.write("published stylesheet", to: first.site.appendingPathComponent("assets/site.css"))
        try publisher.publish(first)

        let second = try publisher.stage(releaseName: "20261130T021500.000Z-bbbbbbbb") {}
        let folder = ReleaseFolder(second.site)
        #expect(folder.contains("assets/site.css"), "the published site is carried over by hard links")
        try folder.write("new stylesheet", to: "assets/site.css")
        try folder.write("", to: "deeper/folder/empty.txt")
        #expect(try published(output, "site/assets/site.css") == "published stylesheet",
                "writing into the staged release never writes through a hard link into the published one")
        #expect(folder.filesWritten == 2)
        try publisher.publish(second)
        #expect(try published(output, "site/assets/site.css") == "new stylesheet")
        #expect(try published(output, "site/deeper/folder/empty.txt") == "")
        let attributes = try FileManager.default.attributesOfItem(atPath: output.appendingPathComponent("site/assets/site.css").path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == Int(AtomicFile.fileMode))
    }
}
