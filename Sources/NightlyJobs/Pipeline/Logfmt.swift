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

    /// Quotes a value when it holds spaces, quotes, `=` or nothing at all.
    static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
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
