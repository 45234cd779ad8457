import Foundation

/// One part (`site/` or `emails/`) of the release a run stages: files are written into it as the steps produce
/// them, so nothing waits in memory for publishing.
///
/// The staging folder is hidden until the release is published with one rename, so a file is written in place:
/// no temporary file, rename or `fsync` per file (a night's review copies are hundreds of thousands of files).
/// `ReleasePublisher` flushes the release to disk once, before it publishes it. Safe to use from several threads
/// at once (the recovery pass's send workers write review copies side by side).
public final class ReleaseFolder: @unchecked Sendable {
    /// The folder on disk.
    public let url: URL
    /// `url`'s path, which files are joined to.
    private let root: String
    private let lock = NSLock()
    private var written = 0
    /// Folders known to exist, so that each is created once rather than looked up for every file.
    private var folders: Set<String> = []

    init(_ url: URL) {
        self.url = url
        root = url.path
    }

    /// Files written in this run (carried-over ones not counted).
    public var filesWritten: Int { lock.withLock { written } }

    /// Writes `text` to `path`, relative to the folder (sub-folders are created).
    public func write(_ text: String, to path: String) throws {
        // Paths are joined as text: `URL.appendingPathComponent` asks the file system whether each is a folder.
        let file = root + "/" + path
        try createFolder(path.lastIndex(of: "/").map { root + "/" + path[..<$0] } ?? root)
        var text = text
        try text.withUTF8 { bytes in
            var descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, AtomicFile.fileMode)
            if descriptor < 0, errno == EEXIST {
                // A file carried over from the published release is a hard link to it: replace it, never write
                // into it. (Only then: an unlink before every create costs a path lookup per file.)
                guard unlink(file) == 0 || errno == ENOENT else { throw Self.error("replace", file) }
                descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, AtomicFile.fileMode)
            }
            guard descriptor >= 0 else { throw Self.error("create", file) }
            do {
                guard fchmod(descriptor, AtomicFile.fileMode) == 0 else { throw Self.error("set the permissions of", file) }
                var offset = 0
                while offset < bytes.count {
                    let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if count < 0, errno == EINTR { continue }
                    guard count > 0 else { throw Self.error("write", file) }
                    offset += count
                }
            } catch {
                close(descriptor)
                throw error
            }
            guard close(descriptor) == 0 else { throw Self.error("write", file) }
        }
        lock.withLock { written += 1 }
    }

    /// True when the folder holds `path`: written by this run, or carried over from the published release.
    public func contains(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(path).path)
    }

    /// True when nothing was written into the folder (nor carried over).
    var isEmpty: Bool { !FolderEntries.any(in: root) }

    private func createFolder(_ folder: String) throws {
        guard !lock.withLock({ folders.contains(folder) }) else { return }
        try AtomicFile.createFolder(URL(fileURLWithPath: folder, isDirectory: true))
        lock.withLock { _ = folders.insert(folder) }
    }

    private static func error(_ action: String, _ file: String) -> NightlyError {
        .output("cannot \(action) \(file): \(String(cString: strerror(errno))); check that the output folder (--output) is writable and has space")
    }
}
