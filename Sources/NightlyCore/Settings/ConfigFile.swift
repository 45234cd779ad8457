/// A `key = value` config file; `#` starts a comment. LF and CRLF line endings and a leading UTF-8 byte order
/// mark read alike.
public struct ConfigFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var value: String
        public var line: Int
    }

    public var path: String
    public var values: [String: Entry]

    /// Parses `text` read from `path`. A line that is not `key = value`, or a key set twice, is an error naming
    /// the line (both lines for a duplicate).
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
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
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
}
