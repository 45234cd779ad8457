import Foundation

/// Finds and removes lines of a text file (a review page, a CSV of a night's messages) one line at a time, so a
/// file of any size is never held in memory.
enum LineFilter {
    /// A line's bytes, without its newline.
    typealias Line = UnsafeBufferPointer<UInt8>

    /// How many lines of the file at `path` `matches` holds for; 0 when the file cannot be read.
    static func count(in path: String, where matches: (Line) -> Bool) -> Int {
        guard let file = fopen(path, "r") else { return 0 }
        defer { fclose(file) }
        var count = 0
        forEachLine(of: file) { line, _ in if matches(line) { count += 1 } }
        return count
    }

    /// Rewrites the file at `path` without the lines `matches` holds for: into a temporary file beside it (with
    /// `AtomicFile.fileMode`), renamed over it, so a reader sees the old file or the new one.
    static func remove(from path: String, where matches: (Line) -> Bool) throws {
        let temporary = (path as NSString).deletingLastPathComponent + "/."
            + (path as NSString).lastPathComponent + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard let source = fopen(path, "r") else { throw failure("cannot read \(path)") }
        defer { fclose(source) }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, AtomicFile.fileMode)
        guard descriptor >= 0, let target = fdopen(descriptor, "w") else {
            if descriptor >= 0 { close(descriptor) }
            throw failure("cannot create \(temporary)")
        }
        var written = true
        forEachLine(of: source) { line, newline in
            guard !matches(line) else { return }
            let bytes = newline ? line.count + 1 : line.count
            written = written && fwrite(line.baseAddress, 1, bytes, target) == bytes
        }
        guard fclose(target) == 0, written, ferror(source) == 0, rename(temporary, path) == 0 else {
            let error = failure("cannot rewrite \(path)")
            unlink(temporary)
            throw error
        }
    }

    /// Calls `body` with each line of `file` and whether a newline follows it (the line's buffer holds it then).
    private static func forEachLine(of file: UnsafeMutablePointer<FILE>, _ body: (Line, Bool) -> Void) {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        while true {
            let length = getline(&buffer, &capacity, file)
            guard length >= 0, let buffer else { return }
            let newline = buffer[length - 1] == 0x0A
            buffer.withMemoryRebound(to: UInt8.self, capacity: length) {
                body(Line(start: $0, count: newline ? length - 1 : length), newline)
            }
        }
    }

    private static func failure(_ what: String) -> NightlyError {
        NightlyError.output("\(what): \(String(cString: strerror(errno))); check that the output folder is writable")
    }
}
