import Foundation

/// The HTTP `Retry-After` header (RFC 9110 §10.2.3): a number of seconds or an HTTP date.
public enum RetryAfter {
    /// The time `value` names, counted from `now` for seconds, and never more than `limit` after `now`: a service
    /// asking for longer (9223372036854775807 s, a date in the year 9999) gets `now + limit`. Nil when `value`
    /// is neither form.
    public static func parse(_ value: String, now: Date, limit: TimeInterval) -> Date? {
        let latest = now.addingTimeInterval(limit)
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber) {
            // Digits only: too many for an Int is far past the limit.
            guard let seconds = Int(trimmed), TimeInterval(seconds) < limit else { return latest }
            return now.addingTimeInterval(TimeInterval(seconds))
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return min(date, latest) }
        }
        return nil
    }
}
