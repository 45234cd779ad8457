import Foundation
@testable import NightlyJobs
import Testing
import TestSupport

/// Review rows leave a page or CSV file line by line, whatever the file's size.
@Suite("Line filter: counting and removing lines of a file without loading it")
struct LineFilterTests {
    func containsX(_ line: LineFilter.Line) -> Bool { line.contains(UInt8(ascii: "x")) }

    @Test(arguments: [
        ("a\nx1\nb\nx2\n", "a\nb\n", 2), ("x\na\nb", "a\nb", 1), ("a\nb\n", "a\nb\n", 0), ("a\n\n\nx\n", "a\n\n\n", 1),
    ])
    func removesExactlyTheMatchingLines(original: String, expected: String, matching: Int) throws {
        let file = try makeTemporaryDirectory("line-filter").appendingPathComponent("emails-messages.csv")
        try original.write(to: file, atomically: false, encoding: .utf8)
        #expect(LineFilter.count(in: file.path, where: containsX) == matching)
        try LineFilter.remove(from: file.path, where: containsX)
        #expect(try String(contentsOf: file, encoding: .utf8) == expected)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int)
        #expect(mode == Int(AtomicFile.fileMode))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
        #expect(leftovers == ["emails-messages.csv"], "no temporary file is left")
    }

    @Test func aFileThatCannotBeReadHasNoLinesAndCannotBeRewritten() throws {
        let missing = try makeTemporaryDirectory("line-filter").appendingPathComponent("missing.csv").path
        #expect(LineFilter.count(in: missing, where: containsX) == 0)
        #expect(throws: NightlyError.self) { try LineFilter.remove(from: missing, where: containsX) }
    }

    /// A streamed file dropped before it is finished (the step writing it failed) leaves nothing in its folder,
    /// not even its hidden temporary file; a finished one is in place.
    @Test func aStreamedFileDroppedUnfinishedLeavesNothingBehind() throws {
        let folder = try makeTemporaryDirectory("streamed")
        do {
            let unfinished = try StreamedFile(folder.appendingPathComponent("dropped.csv"))
            try unfinished.append("half a file\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 1, "its temporary file")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        let finished = try StreamedFile(folder.appendingPathComponent("kept.csv"))
        try finished.append("whole\n")
        try finished.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["kept.csv"])
    }
}
