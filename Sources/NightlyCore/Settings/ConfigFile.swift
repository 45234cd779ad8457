/// A `key = value` config file. A line whose first non-blank character is `#` is a comment; a `#` after a value is
/// refused, not cut off, so a value such as `123 Main St #5` never loses its end silently (it is written in double
/// quotes). LF and CRLF line endings and a leading UTF-8 byte order mark read alike.
public struct ConfigFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var value: String
        public var line: Int
    }

    public var path: String
    public var values: [String: Entry]

    /// Parses `text` read from `path`. A line that is not `key = value`, a key set twice, or an unquoted value
    /// holding a `#` at its start or after a blank (a comment after the value, or a value to be quoted) is an
    /// error naming the line (both lines for a duplicate).
    public init(path: String, text: String) throws {
        self.path = path
        var values: [String: Entry] = [:]
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        // Split on Characters: "\r\n" is one Character, so CRLF files split exactly like LF files.
        for (offset, rawLine) in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = offset + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(
                    setting: "config", message: "a config line is not of the form key = value: \"\(line)\"",
                    origin: .file(path: path, line: number))
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            } else if Self.holdsTrailingComment(value) {
                // The value is not quoted in the sentence: it may be a connection string holding a password.
                throw ConfigurationError(
                    setting: key,
                    message: "the value of \(key) holds \" #\", which would become part of it: # starts a comment only at the start of a line; move the comment to a line of its own or, if the # belongs to the value, write the value in double quotes (\(key) = \"…\")",
                    origin: .file(path: path, line: number))
            }
            if let first = values[key] {
                throw ConfigurationError(
                    setting: key,
                    message: "\(key) is set twice, first at \(path):\(first.line); keep one of the two lines",
                    origin: .file(path: path, line: number))
            }
            values[key] = Entry(value: value, line: number)
        }
        self.values = values
    }

    /// True when an unquoted `value` starts with `#` or holds a `#` right after a blank.
    private static func holdsTrailingComment(_ value: String) -> Bool {
        var previous: Character? = nil
        for character in value {
            if character == "#", previous.map({ $0 == " " || $0 == "\t" }) ?? true { return true }
            previous = character
        }
        return false
    }
}
