import Foundation

/// Which time zone a customer lives in, for quiet hours: the order service's `customers.time_zone` (an IANA name)
/// where it has that column and the value names a zone, else the zone `recovery_time_zones` gives the region of
/// the customer's locale (`de-DE` → `DE`), else UTC.
public enum CustomerTimeZone {
    public static let utc = TimeZone(identifier: "Etc/UTC")!

    /// `text` without white space before and after; as it is, without Foundation, when it has none (most do).
    private static func trimmedOfWhitespace(_ text: String) -> String {
        let isWhitespace = { (scalar: Unicode.Scalar) in scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
            isWhitespace(first) || isWhitespace(last)
        else { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    public static func resolve(column: String?, locale: String, regionZones: [String: TimeZone]) -> TimeZone {
        if let name = column.map(trimmedOfWhitespace), !name.isEmpty, let zone = TimeZone(identifier: name) {
            return zone
        }
        return region(of: locale).flatMap { regionZones[$0] } ?? utc
    }

    /// The region subtag of a BCP 47 tag (two letters or three digits after the language), upper case.
    static func region(of locale: String) -> String? {
        locale.split(whereSeparator: { $0 == "-" || $0 == "_" }).dropFirst()
            .first { ($0.count == 2 && $0.allSatisfy(\.isLetter)) || ($0.count == 3 && $0.allSatisfy(\.isNumber)) }
            .map { $0.uppercased() }
    }

    /// Reads `DE=Europe/Berlin,US=America/New_York` (empty for none). Throws a sentence naming `setting` and the
    /// entry that is not a region and a known zone.
    public static func parseMap(_ text: String, setting: String) throws -> [String: TimeZone] {
        var zones: [String: TimeZone] = [:]
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let pair = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let region = region(of: "und-" + pair[0]), region == pair[0].uppercased(),
                let zone = TimeZone(identifier: pair[1])
            else {
                throw ConfigurationError(
                    setting: setting,
                    message: "\(setting) has \"\(entry)\", which is not REGION=Zone with an IANA zone; use a list such as DE=Europe/Berlin,US=America/New_York")
            }
            zones[region] = zone
        }
        return zones
    }
}
