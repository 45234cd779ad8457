import Foundation
import NightlyCore

/// A complete e-mail: RFC 5322 headers and a multipart/alternative body with a text and an HTML part, written as
/// the text of an `.eml` file (CRLF line endings, quoted-printable UTF-8 bodies, RFC 2047 encoded headers).
public struct EmailMessage: Sendable {
    /// A header address: an optional display name and a validated mailbox.
    public struct Address: Sendable, Equatable {
        public var name: String?
        public var mailbox: Mailbox

        public init(name: String? = nil, mailbox: Mailbox) {
            self.name = name
            self.mailbox = mailbox
        }
    }

    public var from: Address
    public var to: Address
    public var subject: String
    public var date: Date
    /// The `Message-ID` without angle brackets, such as `3f…@shop.example.com`.
    public var messageID: String
    /// The `List-Unsubscribe` URIs (a mailto and an https one); with an https one the message also offers
    /// one-click unsubscribe (RFC 8058).
    public var listUnsubscribe: [String]
    public var text: String
    public var html: String

    public init(
        from: Address, to: Address, subject: String, date: Date, messageID: String, listUnsubscribe: [String],
        text: String, html: String
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.listUnsubscribe = listUnsubscribe
        self.text = text
        self.html = html
    }

    /// The headers a mail service needs, unencoded, in the order the `.eml` writes them. No value holds a CR, an
    /// LF or another control character: each becomes a space, so no value can start a header of its own.
    public var headers: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("From", Self.display(from)), ("To", Self.display(to)), ("Subject", subject),
            ("Date", Self.rfc5322Date(date)), ("Message-ID", "<\(messageID)>"),
            ("List-Unsubscribe", listUnsubscribe.map { "<\($0)>" }.joined(separator: ", ")),
        ]
        if listUnsubscribe.contains(where: { $0.hasPrefix("https:") }) {
            headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
        }
        return headers.map { ($0.name, Self.singleLine($0.value)) }
    }

    /// The message as the text of an `.eml` file.
    public var eml: String {
        // At most 70 characters (RFC 2046); "=_" never occurs in quoted-printable text, so no body line matches it.
        let boundary = "=_checkout-nightly_" + messageID.filter { $0.isLetter || $0.isNumber }.prefix(40)
        var lines: [String] = []
        for (name, value) in headers {
            switch name {
            case "From", "To":
                lines.append(Self.fold(name, Self.encodedAddress(name == "From" ? from : to)))
            case "Subject":
                lines.append(Self.fold(name, Self.encodedWords(value)))
            default:
                lines.append(Self.fold(name, value.split(separator: " ").map(String.init)))
            }
        }
        lines += [
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"",
            "",
            "This is a multi-part message in MIME format.",
        ]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += [
                "--" + boundary,
                "Content-Type: \(type); charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                Self.quotedPrintable(body),
            ]
        }
        lines.append("--" + boundary + "--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: Encodings

    /// `Date` as RFC 5322 writes it, in UTC: `Wed, 25 Nov 2026 02:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String { dateFormatter.string(from: date) }

    /// Formatting is thread-safe in Foundation; one formatter serves every message.
    private static let dateFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter
    }()

    /// `Name <address>`, or the address alone.
    private static func display(_ address: Address) -> String {
        guard let name = address.name, !name.isEmpty else { return address.mailbox.address }
        return "\(name) <\(address.mailbox.address)>"
    }

    /// `text` with every control character (CR and LF included) turned into a space.
    static func singleLine(_ text: String) -> String {
        // The control characters are U+0000–U+001F and U+007F–U+009F: in UTF-8 the bytes below 0x20, 0x7F, and
        // 0xC2 followed by 0x80–0x9F. Most values hold none and are returned as they are.
        var previous: UInt8 = 0
        let hasControl = text.utf8.contains { byte in
            defer { previous = byte }
            return byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte < 0xA0)
        }
        guard hasControl else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    /// The words of an address header: the display name as atoms, one quoted string, or encoded words when it is
    /// not ASCII; then `<address>`.
    private static func encodedAddress(_ address: Address) -> [String] {
        let mailbox = "<\(address.mailbox.address)>"
        guard let name = address.name.map(singleLine), !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            return [address.mailbox.address]
        }
        let specials = CharacterSet(charactersIn: "()<>[]:;@\\,.\"")
        if !isPlainASCII(name) || name.contains("=?") {
            return encodedWords(name) + [mailbox]
        } else if name.unicodeScalars.contains(where: specials.contains) {
            return ["\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"", mailbox]
        }
        return name.split(separator: " ").map(String.init) + [mailbox]
    }

    /// The words of an unstructured header value or a display name: ASCII text as its words, anything else as
    /// RFC 2047 encoded words (`=?UTF-8?B?…?=`) of at most 64 characters, so that `Subject: ` and one word fit the
    /// 76 characters RFC 2047 allows a line. Words break after a space where they can (the space inside the
    /// encoded text, since decoders drop the white space between encoded words), else between characters.
    /// Control characters become spaces first.
    static func encodedWords(_ text: String) -> [String] {
        let value = singleLine(text)
        if isPlainASCII(value), !value.contains("=?") { return value.split(separator: " ").map(String.init) }
        let limit = 39  // 39 bytes → 52 base64 characters → 64 with the markers
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
            chunk = []
        }
        for word in value.split(separator: " ", omittingEmptySubsequences: false).map({ $0 + " " }) {
            let bytes = Array(word.utf8)
            if chunk.count + bytes.count > limit { flush() }
            guard bytes.count > limit else {
                chunk += bytes
                continue
            }
            for character in word {
                let characterBytes = Array(String(character).utf8)
                if chunk.count + characterBytes.count > limit { flush() }
                chunk += characterBytes
            }
        }
        if chunk.last == UInt8(ascii: " ") { chunk.removeLast() }
        flush()
        return words
    }

    /// `Name: word word …`, folded onto continuation lines so no line passes 76 characters where spaces allow.
    private static func fold(_ name: String, _ words: [String]) -> String {
        var lines = [name + ":"]
        for word in words {
            if lines[lines.count - 1].count + 1 + word.count > 76, lines[lines.count - 1].count > name.count + 1 {
                lines.append(" " + word)
            } else {
                lines[lines.count - 1] += " " + word
            }
        }
        return lines.joined(separator: "\r\n")
    }

    private static func isPlainASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value < 127 }
    }

    /// Quoted-printable (RFC 2045) of `text` as UTF-8 with CRLF line breaks: lines of at most 76 characters,
    /// `=` and every byte outside printable ASCII escaped, and white space before a line break escaped.
    static func quotedPrintable(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            // At most three bytes out per byte in, plus a three-byte soft break per 75 bytes out.
            let capacity = bytes.count * 4 + 16
            let encoded = [UInt8](unsafeUninitializedCapacity: capacity) { output, written in
                written = encodeQuotedPrintable(bytes, into: output)
            }
            return String(decoding: encoded, as: UTF8.self)
        }
    }

    /// Writes the quoted-printable form of `bytes` into `output` and returns how many bytes it wrote.
    private static func encodeQuotedPrintable(
        _ bytes: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        let hex: StaticString = "0123456789ABCDEF"
        let digits = hex.utf8Start
        let (cr, lf, space, tab, equals) = (UInt8(13), UInt8(10), UInt8(32), UInt8(9), UInt8(ascii: "="))
        var count = 0
        func put(_ byte: UInt8) {
            output[count] = byte
            count += 1
        }
        var lineLength = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == lf || (byte == cr && index + 1 < bytes.count && bytes[index + 1] == lf) {
                put(cr)
                put(lf)
                lineLength = 0
                index += byte == cr ? 2 : 1
                continue
            }
            let next = index + 1 < bytes.count ? bytes[index + 1] : lf
            let endsLine = next == lf || next == cr
            let literal = (byte >= 33 && byte <= 126 && byte != equals) || ((byte == space || byte == tab) && !endsLine)
            let width = literal ? 1 : 3
            // Keep room for the soft break "=" unless this byte ends the line.
            if lineLength + width > (endsLine ? 76 : 75) {
                put(equals)
                put(cr)
                put(lf)
                lineLength = 0
            }
            if literal {
                put(byte)
            } else {
                put(equals)
                put(digits[Int(byte >> 4)])
                put(digits[Int(byte & 15)])
            }
            lineLength += width
            index += 1
        }
        return count
    }
}
