import Foundation

/// Formatting shared by the site, the logs and the e-mails.
public enum Formatting {
    /// `0.42 s`, `12.3 s`, `4 min 05 s`.
    public static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.2f s", seconds) }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return String(format: "%d min %02d s", whole / 60, whole % 60)
    }

    /// `2026-11-25 02:00 UTC`.
    public static func timestamp(_ date: Date) -> String {
        utc(date, format: "yyyy-MM-dd HH:mm 'UTC'")
    }

    /// `11-25 02:00`: a compact UTC time for chart labels.
    public static func shortTimestamp(_ date: Date) -> String {
        utc(date, format: "MM-dd HH:mm")
    }

    private static func utc(_ date: Date, format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    /// `45 min`, `3 h 10 min`, `2 d 4 h` for the time between `date` and `now`.
    public static func age(of date: Date, now: Date) -> String {
        let minutes = max(0, Int(now.timeIntervalSince(date) / 60))
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h \(minutes % 60) min" }
        return "\(minutes / 1440) d \(minutes % 1440 / 60) h"
    }

    /// `cleaned 12 · skipped_order_missing 3`, sorted by name; `none` when empty.
    public static func counts(_ counts: [String: Int]) -> String {
        guard !counts.isEmpty else { return "none" }
        return counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: " · ")
    }

    /// `1,234,567`.
    public static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `12.3 %` for a ratio of 0.123; `digits` decimals.
    public static func percent(_ ratio: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f %%", ratio * 100)
    }

    /// `1,234.50 USD`, `12,345 JPY`: grouped, with the currency's minor unit (ISO 4217), rounded half up.
    /// Amounts are always shown with their own currency; the site never adds amounts of different currencies.
    public static func amount(_ value: Decimal, currency: String) -> String {
        let code = currency.trimmingCharacters(in: .whitespaces).uppercased()
        let minorUnits = zeroDecimalCurrencies.contains(code) ? 0 : 2
        var rounded = Decimal()
        var input = value
        NSDecimalRound(&rounded, &input, minorUnits, .plain)
        let plain = NSDecimalNumber(decimal: rounded).description(withLocale: Locale(identifier: "en_US_POSIX"))
        let negative = plain.hasPrefix("-")
        let parts = plain.drop { $0 == "-" }.split(separator: ".", omittingEmptySubsequences: false)
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        fraction += String(repeating: "0", count: max(0, minorUnits - fraction.count))
        let whole = integer(Int(parts[0]) ?? 0).drop { $0 == "-" }
        return (negative ? "-" : "") + whole + (minorUnits > 0 ? "." + fraction : "") + " " + code
    }

    /// ISO 4217 currencies without a minor unit.
    static let zeroDecimalCurrencies: Set<String> = ["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"]
}

extension Duration {
    /// The duration in seconds, for date arithmetic and log lines.
    public var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
