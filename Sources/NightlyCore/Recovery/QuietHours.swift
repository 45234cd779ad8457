import Foundation

/// The hours of the customer's local day in which no recovery message goes out (`recovery_quiet_hours`, such as
/// `21:00-08:00`). The window starts at `start` (inclusive) and ends at `end` (exclusive); a start later than the
/// end wraps over midnight. Local time is the wall clock of the customer's zone, so the window follows the
/// daylight-saving changes.
public struct QuietHours: Sendable, Equatable {
    /// Minutes after local midnight.
    public let start: Int
    public let end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// Reads `HH:MM-HH:MM`; nil for `off` or an empty value. Throws a sentence naming `setting`.
    public static func parse(_ text: String, setting: String) throws -> QuietHours? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.lowercased() == "off" { return nil }
        let bounds = trimmed.split(separator: "-", omittingEmptySubsequences: false).map(minutes(of:))
        guard bounds.count == 2, let start = bounds[0], let end = bounds[1], start != end else {
            throw ConfigurationError(
                setting: setting,
                message: "\(setting) is \"\(text)\"; use a local time window such as 21:00-08:00 (start and end differ), or off")
        }
        return QuietHours(start: start, end: end)
    }

    /// Whether `date` falls in the window on the wall clock of `zone`.
    public func contains(_ date: Date, in zone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let local = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (local.hour ?? 0) * 60 + (local.minute ?? 0)
        return start < end ? (start <= minute && minute < end) : (minute >= start || minute < end)
    }

    private static func minutes(of text: Substring) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }
}
