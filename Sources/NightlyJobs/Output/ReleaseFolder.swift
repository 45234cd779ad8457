import Foundation

/// One part (`site/` or `emails/`) of the release a run stages: files are written into it, atomically, as the
/// steps produce them, so nothing waits in memory for publishing.
public final class ReleaseFolder {
    /// The folder on disk.
    public let url: URL
    /// Files written in this run (carried-over ones not counted).
    public private(set) var filesWritten = 0

    init(_ url: URL) {
        self.url = url
    }

    /// Writes `text` to `path`, relative to the folder (sub-folders are created).
    public func write(_ text: String, to path: String) throws {
        try AtomicFile.write(text, to: url.appendingPathComponent(path))
        filesWritten += 1
    }

    /// True when the folder holds `path`: written by this run, or carried over from the published release.
    public func contains(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(path).path)
    }

    /// True when nothing was written into the folder (nor carried over).
    var isEmpty: Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).isEmpty
    }
}
