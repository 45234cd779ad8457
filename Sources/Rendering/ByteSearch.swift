import Foundation

/// Substring search and replacement over UTF-8 bytes (`memchr` to each candidate, `memcmp` to confirm): what the
/// rendering path needs on whole e-mails, where Foundation's `contains` and `replacingOccurrences` cost more than
/// rendering them.
enum ByteSearch {
    /// Whether `text` contains `part` (an empty part is in every text).
    static func contains(_ text: String, _ part: String) -> Bool {
        part.isEmpty || !offsets(of: part, in: text, limit: 1).isEmpty
    }

    /// `text` with every occurrence of `target` (non-overlapping, left to right) replaced by `replacement`.
    static func replacing(_ target: String, with replacement: String, in text: String) -> String {
        let found = offsets(of: target, in: text, limit: .max)
        guard !found.isEmpty else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + found.count * max(0, replacement.utf8.count - target.utf8.count))
        var text = text
        text.withUTF8 { source in
            var copied = 0
            for offset in found {
                bytes += source[copied..<offset]
                bytes += replacement.utf8
                copied = offset + target.utf8.count
            }
            bytes += source[copied...]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The byte offsets of up to `limit` non-overlapping occurrences of `needle` in `haystack`; none for an
    /// empty needle.
    private static func offsets(of needle: String, in haystack: String, limit: Int) -> [Int] {
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { text in
            needle.withUTF8 { part in
                guard let first = part.first, let wanted = part.baseAddress, let base = text.baseAddress,
                    text.count >= part.count
                else { return [] }
                var found: [Int] = []
                let lastStart = text.count - part.count
                var offset = 0
                while offset <= lastStart, found.count < limit {
                    guard let hit = memchr(base + offset, Int32(first), lastStart - offset + 1) else { break }
                    let position = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + position, wanted, part.count) == 0 {
                        found.append(position)
                        offset = position + part.count
                    } else {
                        offset = position + 1
                    }
                }
                return found
            }
        }
    }
}
