import Foundation

/// An e-mail address as RFC 5321 defines a mailbox: `local-part@domain`, the local part a dot-atom or a quoted
/// string, the domain a host name whose internationalised labels are written in Punycode (`xn--…`). Anything
/// that could change the meaning of a header (CR, LF, a comma, a second address) is refused.
public struct Mailbox: Sendable, Equatable, CustomStringConvertible {
    /// Why a text is not a mailbox.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case controlCharacter
        case noAt
        case localPart
        case localPartTooLong
        case nonASCIILocalPart
        case domain
        case domainTooLong
        case tooLong

        /// A sentence that names the reason but never quotes the address (personal data).
        public var description: String { "the e-mail address is not a usable mailbox: " + reason }

        /// The reason alone: `it has no @`.
        public var reason: String {
            switch self {
            case .empty: "it is empty"
            case .controlCharacter: "it holds a line break or another control character"
            case .noAt: "it has no @"
            case .localPart: "the part before the @ is neither a dot-atom nor a quoted string (a comma, space, or a second address?)"
            case .localPartTooLong: "the part before the @ is longer than 64 bytes"
            case .nonASCIILocalPart: "the part before the @ is not ASCII, which needs SMTPUTF8"
            case .domain: "the domain is not a host name of dot-separated labels such as example.com"
            case .domainTooLong: "the domain or one of its labels is too long (253 and 63 bytes at most)"
            case .tooLong: "it is longer than 254 bytes"
            }
        }
    }

    /// The local part as written (a quoted string keeps its quotes).
    public let localPart: String
    /// The domain in ASCII, lower case, internationalised labels as `xn--` Punycode.
    public let domain: String

    /// `local-part@domain`, safe to write into a header.
    public var address: String { localPart + "@" + domain }
    public var description: String { address }

    /// Parses `text`; spaces around it are ignored. Throws the `Problem` that makes it unusable.
    public init(parsing text: String) throws(Problem) {
        let trimmed = Self.trimmingSpaces(text)
        guard !trimmed.isEmpty else { throw .empty }
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) })
        else { throw .controlCharacter }
        guard let at = trimmed.lastIndex(of: "@") else { throw .noAt }
        let local = String(trimmed[..<at])
        guard local.unicodeScalars.allSatisfy(\.isASCII) else { throw .nonASCIILocalPart }
        guard Self.isDotAtom(local) || Self.isQuotedString(local) else { throw .localPart }
        guard local.utf8.count <= 64 else { throw .localPartTooLong }
        let domain = try Self.asciiDomain(trimmed[trimmed.index(after: at)...])
        guard local.utf8.count + 1 + domain.utf8.count <= 254 else { throw .tooLong }
        self.localPart = local
        self.domain = domain
    }

    /// `text` without the spaces (U+0020 only) before and after it.
    private static func trimmingSpaces(_ text: String) -> String {
        let space = UInt8(ascii: " ")
        let bytes = text.utf8
        guard bytes.first == space || bytes.last == space else { return text }
        guard let first = bytes.firstIndex(where: { $0 != space }), let last = bytes.lastIndex(where: { $0 != space })
        else { return "" }
        return String(text[first...last])
    }

    /// Whether `text` is a mailbox.
    public static func isValid(_ text: String) -> Bool { (try? Mailbox(parsing: text)) != nil }

    /// RFC 5322 `atext`: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    private static let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    /// Atoms of `atext` joined by single dots.
    private static func isDotAtom(_ text: String) -> Bool {
        let atoms = text.split(separator: ".", omittingEmptySubsequences: false)
        return atoms.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(atext.contains) }
    }

    /// `"…"` holding printable ASCII, with `"` and `\` only as quoted pairs (`\"`, `\\`).
    private static func isQuotedString(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 2, scalars.first == "\"", scalars.last == "\"" else { return false }
        var index = 1
        while index < scalars.count - 1 {
            let scalar = scalars[index]
            guard (0x20...0x7E).contains(scalar.value) else { return false }
            if scalar == "\\" {
                guard index + 1 < scalars.count - 1 else { return false }
                index += 2
            } else {
                guard scalar != "\"" else { return false }
                index += 1
            }
        }
        return true
    }

    /// The domain in ASCII: at least two labels of letters, digits and inner hyphens, each non-ASCII label
    /// normalised (NFC, lower case) and written as `xn--` Punycode. Address literals (`[192.0.2.1]`) are refused.
    private static func asciiDomain(_ text: Substring) throws(Problem) -> String {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { throw .domain }
        var ascii: [String] = []
        for label in labels {
            guard !label.isEmpty else { throw .domain }
            // An ASCII label is its own canonical composition; Foundation's normalization is for the others.
            let normalized = label.utf8.allSatisfy({ $0 < 0x80 })
                ? label.lowercased() : label.precomposedStringWithCanonicalMapping.lowercased()
            let encoded: String
            if normalized.unicodeScalars.allSatisfy(\.isASCII) {
                encoded = normalized
            } else {
                guard normalized.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "-" || $0.properties.generalCategory == .nonspacingMark || $0.properties.generalCategory == .spacingMark }),
                    let punycode = Punycode.encode(normalized)
                else { throw .domain }
                encoded = "xn--" + punycode
            }
            guard encoded.utf8.count <= 63 else { throw .domainTooLong }
            guard encoded.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }),
                encoded.first != "-", encoded.last != "-"
            else { throw .domain }
            ascii.append(encoded)
        }
        guard ascii.last?.allSatisfy(\.isNumber) == false else { throw .domain }
        let domain = ascii.joined(separator: ".")
        guard domain.utf8.count <= 253 else { throw .domainTooLong }
        return domain
    }
}
