import Foundation
import Logging

/// A swift-log handler that writes one logfmt line per event to standard error, for cron and log shippers:
/// `ts=2026-11-25T02:00:00Z level=info msg="step finished" step=reports outcome=succeeded`.
public struct LogfmtLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info

    public init() {}

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = [
            ("ts", Date().formatted(.iso8601)), ("level", event.level.rawValue),
            ("msg", event.message.description),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for key in merged.keys.sorted() { fields.append((key, "\(merged[key]!)")) }
        let line = fields.map { "\($0.0)=\(Self.quote($0.1))" }.joined(separator: " ") + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Quotes a value when it holds spaces, quotes, `=`, a control character or nothing at all. Inside quotes a
    /// backslash and a quote are escaped, and every control or line-breaking character (CR, ESC, U+2028, ...)
    /// is written as an escape, so a value read from the database can never start a line or move the cursor.
    static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty
            || value.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || needsEscape($0) }
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": quoted += "\\\\"
            case "\"": quoted += "\\\""
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _ where needsEscape(scalar):
                let hex = String(scalar.value, radix: 16)
                quoted += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}

/// Shows progress of long work on a terminal (never in logs: nothing is written when stderr is not a TTY).
public struct TerminalProgress: Sendable {
    public let enabled: Bool

    public init(enabled: Bool = isatty(STDERR_FILENO) == 1) { self.enabled = enabled }

    /// Rewrites the current terminal line with `text`.
    public func update(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    /// Ends the progress line.
    public func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
