import Foundation

/// A Swift value that can be sent as a bound parameter, in PostgreSQL's text format.
public protocol PostgresEncodable {
    /// The parameter's text, or nil for SQL NULL; throws a `PostgresError` of kind `.encoding` for a value
    /// PostgreSQL cannot hold (a `Date` outside `timestamptz`'s range).
    var postgresText: String? { get throws }
}

/// A Swift value that can be decoded from PostgreSQL's text format.
public protocol PostgresDecodable {
    /// Decodes `text`; returns nil when the text is not a valid value of this type.
    init?(postgresText text: String)
}

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self }
    public init?(postgresText text: String) { self = text }
}

extension Substring: PostgresEncodable {
    public var postgresText: String? { String(self) }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public init?(postgresText text: String) { self.init(text) }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public init?(postgresText text: String) { self.init(text) }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { String(self) }
    public init?(postgresText text: String) { self.init(text) }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { "\(self)" }
    public init?(postgresText text: String) {
        switch text {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self.init(text)
        }
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { self ? "t" : "f" }
    public init?(postgresText text: String) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { uuidString.lowercased() }
    public init?(postgresText text: String) {
        guard let uuid = UUID.parseCanonical(text) else { return nil }
        self = uuid
    }
}

extension Decimal: PostgresEncodable, PostgresDecodable {
    public var postgresText: String? { NSDecimalNumber(decimal: self).description(withLocale: Locale(identifier: "en_US_POSIX")) }
    public init?(postgresText text: String) {
        if let value = Self.plainNumeric(text) {
            self = value
            return
        }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        self = value
    }

    /// `numeric` text as PostgreSQL writes it (`[-]digits[.digits]`) with at most 18 digits, read without
    /// Foundation's parser (a million carts' prices per run); nil for anything else, which Foundation reads.
    private static func plainNumeric(_ text: String) -> Decimal? {
        var significand: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var negative = false
        var afterPoint = false
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0:
                negative = true
            case UInt8(ascii: ".") where !afterPoint:
                afterPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 18 else { return nil }
                significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
                if afterPoint { fractionDigits += 1 }
            default:
                return nil
            }
        }
        guard digits > 0 else { return nil }
        var value = Decimal(
            sign: negative && significand != 0 ? .minus : .plus, exponent: -fractionDigits, significand: Decimal(significand))
        NSDecimalCompact(&value)
        return value
    }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// ISO 8601 with microseconds in UTC, which PostgreSQL reads as `timestamptz`; throws for a date outside its
    /// range.
    public var postgresText: String? { get throws { try PostgresTimestamp.format(self) } }
    public init?(postgresText text: String) {
        guard let date = PostgresTimestamp.parse(text) else { return nil }
        self = date
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresText: String? { get throws { try self.flatMap { try $0.postgresText } } }
}

extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// A one-dimensional array literal such as `{"a","b",NULL}`. Built over UTF-8 bytes, because a send batch binds
    /// arrays of whole e-mails.
    public var postgresText: String? {
        get throws {
            let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
            var literal: [UInt8] = [UInt8(ascii: "{")]
            for (index, element) in enumerated() {
                if index > 0 { literal.append(UInt8(ascii: ",")) }
                guard var text = try element.postgresText else {
                    literal.append(contentsOf: "NULL".utf8)
                    continue
                }
                literal.append(quote)
                text.withUTF8 { bytes in
                    for byte in bytes {
                        if byte == quote || byte == backslash { literal.append(backslash) }
                        literal.append(byte)
                    }
                }
                literal.append(quote)
            }
            literal.append(UInt8(ascii: "}"))
            return String(decoding: literal, as: UTF8.self)
        }
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    public init?(postgresText text: String) {
        guard let items = PostgresArrayLiteral.parse(text) else { return nil }
        var decoded: [Element] = []
        decoded.reserveCapacity(items.count)
        for item in items {
            guard let item, let value = Element(postgresText: item) else { return nil }
            decoded.append(value)
        }
        self = decoded
    }
}

/// A `json`/`jsonb` value: bound as its JSON text, decoded into `JSONValue`.
public struct JSONText: PostgresEncodable, Sendable {
    public var text: String
    public init(_ text: String) { self.text = text }
    public init(encoding value: JSONValue) { self.text = value.jsonText }
    public var postgresText: String? { text }
}

/// Reads PostgreSQL's `timestamptz` text output (ISO DateStyle) and writes ISO 8601.
public enum PostgresTimestamp {
    /// Parses `2026-11-25 08:43:51.123456+00`, `…+05:30`, or ISO 8601 with a `T` and `Z`.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect(" T"), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2)
        else { return nil }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let hours = number(2) else { return nil }
                var minutes = 0
                if index < bytes.count {
                    _ = expect(":")
                    guard let parsed = number(2) else { return nil }
                    minutes = parsed
                }
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            default:
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// The instants this format writes (microseconds in an Int64) and `timestamptz` holds: 0001-01-01 to about the
    /// year 294246, in seconds since 1970.
    public static let range: ClosedRange<TimeInterval> = -62_135_596_800...9_223_372_036_854

    /// Formats as `2026-11-25T08:43:51.123456Z`; throws a `.encoding` error for a date outside `range` (which
    /// PostgreSQL would refuse, and whose microseconds would not fit an Int64).
    public static func format(_ date: Date) throws -> String {
        let since1970 = date.timeIntervalSince1970
        guard range.contains(since1970) else {
            throw PostgresError(
                kind: .encoding,
                message: "the time \(since1970) s after 1970-01-01 is outside the years 1 to 294246 AD that a PostgreSQL timestamptz parameter can hold")
        }
        let totalMicros = Int64((since1970 * 1_000_000).rounded())
        var seconds = totalMicros / 1_000_000
        var micros = totalMicros % 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let (year, month, day) = civilFromDays(Int(days))
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(Int64(year), 4))-\(pad(Int64(month), 2))-\(pad(Int64(day), 2))T"
            + "\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2)).\(pad(micros, 6))Z"
    }

    // Howard Hinnant's days-from-civil algorithms: exact for the proleptic Gregorian calendar.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// Parses one-dimensional PostgreSQL array literals such as `{a,"b c",NULL}`.
enum PostgresArrayLiteral {
    static func parse(_ text: String) -> [String?]? {
        var characters = Substring(text)
        guard characters.first == "{", characters.last == "}" else { return nil }
        characters = characters.dropFirst().dropLast()
        guard !characters.isEmpty else { return [] }
        var items: [String?] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var escaping = false
        for character in characters {
            if escaping {
                current.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                quoted.toggle()
                wasQuoted = true
            } else if character == "," && !quoted {
                items.append(!wasQuoted && current == "NULL" ? nil : current)
                current = ""
                wasQuoted = false
            } else if character == "{" && !quoted {
                return nil  // nested arrays are not supported
            } else {
                current.append(character)
            }
        }
        items.append(!wasQuoted && current == "NULL" ? nil : current)
        return items
    }
}
