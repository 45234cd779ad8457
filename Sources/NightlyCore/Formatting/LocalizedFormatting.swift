import Foundation

/// Prices, percentages and dates written the way a locale writes them (`$1,234.50`, `1.234,50 €`, `¥1,235`),
/// with each currency's own minor unit (JPY has none). Formatters are built once per locale and currency; an
/// instance is not thread-safe, so use one per thread.
public final class LocalizedFormatting {
    private var currencyFormatters: [String: NumberFormatter] = [:]
    private var percentFormatters: [String: NumberFormatter] = [:]
    private var dateFormatters: [String: DateFormatter] = [:]

    public init() {}

    /// `amount` in `currency` (ISO 4217) for `locale` (BCP 47).
    public func money(_ amount: Decimal, currency: String, locale: String) -> String {
        let key = locale + "|" + currency
        let formatter = currencyFormatters[key] ?? {
            let formatter = NumberFormatter()
            formatter.locale = Locale(identifier: locale)
            formatter.numberStyle = .currency
            formatter.currencyCode = currency
            formatter.roundingMode = .halfUp
            currencyFormatters[key] = formatter
            return formatter
        }()
        return formatter.string(from: NSDecimalNumber(decimal: amount)) ?? "\(amount) \(currency)"
    }

    /// `percent` (a whole number such as 5) for `locale`: `5%`, `5 %`.
    public func percent(_ percent: Int, locale: String) -> String {
        let formatter = percentFormatters[locale] ?? {
            let formatter = NumberFormatter()
            formatter.locale = Locale(identifier: locale)
            formatter.numberStyle = .percent
            percentFormatters[locale] = formatter
            return formatter
        }()
        return formatter.string(from: NSNumber(value: Double(percent) / 100)) ?? "\(percent) %"
    }

    /// Day, month, time of day and time zone of `date` in `timeZone`, as `locale` writes them: `December 2 at
    /// 2:05 PM UTC`, `2. Dezember um 14:05 UTC`, `12月2日 14:05 UTC`. For a moment such as a code's expiry, which
    /// falls at a time of day, not at midnight.
    public func dateTime(_ date: Date, locale: String, timeZone: TimeZone) -> String {
        let key = locale + "|" + timeZone.identifier
        let formatter = dateFormatters[key] ?? {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: locale)
            formatter.timeZone = timeZone
            formatter.setLocalizedDateFormatFromTemplate("dMMMMjmmz")
            dateFormatters[key] = formatter
            return formatter
        }()
        return formatter.string(from: date)
    }
}

/// Chooses the locale a message is written in from the locales that have templates.
public enum MessageLocale {
    /// The locale every other one falls back to; its templates must exist.
    public static let fallback = "en-US"

    /// `requested` when templates exist for it, else one of the same language (`de-AT` → `de-DE`), else en-US.
    /// Matching ignores case and accepts `_` for `-`.
    public static func resolve(_ requested: String, available: [String]) -> String {
        let wanted = requested.replacingOccurrences(of: "_", with: "-").lowercased()
        if let exact = available.first(where: { $0.lowercased() == wanted }) { return exact }
        let language = wanted.split(separator: "-").first.map(String.init) ?? wanted
        if let sameLanguage = available.sorted().first(where: {
            $0.lowercased().split(separator: "-").first.map(String.init) == language
        }) {
            return sameLanguage
        }
        return fallback
    }
}
