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

    /// Rewrites the file at `path` without the lines `matches` holds for, through a `StreamedFile`: a reader sees
    /// the old file or the new one.
    static func remove(from path: String, where matches: (Line) -> Bool) throws {
        guard let source = fopen(path, "r") else {
            throw NightlyError.output("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(source) }
        let rewritten = try StreamedFile(URL(fileURLWithPath: path))
        var failure: Error?
        forEachLine(of: source) { line, newline in
            guard failure == nil, !matches(line) else { return }
            do {
                try rewritten.append(UnsafeBufferPointer(start: line.baseAddress, count: newline ? line.count + 1 : line.count))
            } catch {
                failure = error
            }
        }
        if ferror(source) != 0 { failure = NightlyError.output("cannot read \(path): \(String(cString: strerror(errno)))") }
        if let failure {
            rewritten.abandon()
            throw failure
        }
        try rewritten.finish()
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
}
