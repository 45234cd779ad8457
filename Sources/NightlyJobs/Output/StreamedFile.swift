import Foundation

/// A file written piece by piece (a CSV of every message of a night) into a temporary file beside its final
/// path, and renamed into place when it is complete: a reader never sees half of it, and memory holds only the
/// piece being written. Dropped before `finish` (a step that failed midway), it removes its temporary file, so a
/// release published after a failed step never holds one.
final class StreamedFile {
    let url: URL
    private let temporary: URL
    private let handle: FileHandle
    /// True once the file is renamed into place or abandoned.
    private var settled = false

    init(_ url: URL) throws {
        self.url = url
        temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try AtomicFile.createFolder(url.deletingLastPathComponent())
        guard FileManager.default.createFile(
            atPath: temporary.path, contents: nil, attributes: [.posixPermissions: Int(AtomicFile.fileMode)]),
            let handle = FileHandle(forWritingAtPath: temporary.path)
        else {
            throw NightlyError.output("cannot create \(temporary.path): \(String(cString: strerror(errno)))")
        }
        self.handle = handle
    }

    deinit {
        if !settled { abandon() }
    }

    func append(_ text: String) throws {
        try handle.write(contentsOf: Data(text.utf8))
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        try handle.write(contentsOf: bytes)
    }

    /// Closes the file and removes it, leaving whatever is at `url` as it was.
    func abandon() {
        settled = true
        try? handle.close()
        unlink(temporary.path)
    }

    /// Closes the file and renames it into place.
    func finish() throws {
        settled = true
        try handle.close()
        guard rename(temporary.path, url.path) == 0 else {
            throw NightlyError.output("cannot rename \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
        }
    }
}
