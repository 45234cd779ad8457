import Foundation
import NightlyCore
import Rendering
import Testing
import TestSupport

/// Hostile display names and subjects: Python's `email` parser reads back exactly one From, To and Subject with
/// the text intended (control characters as spaces), no injected header, no defect, and RFC 2047 line lengths.
@Suite("E-mail headers: hostile names and subjects")
struct EmailHeaderTests {
    static let headerNames = ["From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post",
                              "MIME-Version", "Content-Type"]

    /// The display name, the subject, and what a mail client shows for each.
    @Test(arguments: [
        ("Shop", "Your cart", "Shop", "Your cart"),
        ("Shop\r\nBcc: victim@example.com", "Hi\r\nBcc: victim@example.com", "Shop  Bcc: victim@example.com", "Hi  Bcc: victim@example.com"),
        ("Shop\nX-Injected: 1", "Line\nX-Injected: 1", "Shop X-Injected: 1", "Line X-Injected: 1"),
        ("Shop\r", "Tab\there\u{0}", "Shop", "Tab here"),
        ("Shop\u{85}Bcc: victim@example.com", "Hi\u{7F}there\u{9F}", "Shop Bcc: victim@example.com", "Hi there"),
        ("Müller & Söhne, \"Shop\"", "Ihr Warenkorb wartet – 5 % Rabatt", "Müller & Söhne, \"Shop\"", "Ihr Warenkorb wartet – 5 % Rabatt"),
        ("ショップ", "最後のチャンス:カートの商品が10%オフ", "ショップ", "最後のチャンス:カートの商品が10%オフ"),
        ("=?UTF-8?B?SGFjaw==?=", "=?UTF-8?Q?fake?= subject", "=?UTF-8?B?SGFjaw==?=", "=?UTF-8?Q?fake?= subject"),
        ("Shop <evil@example.com>", "a", "Shop <evil@example.com>", "a"),
        ("Shop, Inc.; x@y.z", "b", "Shop, Inc.; x@y.z", "b"),
        (String(repeating: "Überlanger Name ", count: 8), String(repeating: "🎧 Überlanger Betreff ", count: 12),
         String(repeating: "Überlanger Name ", count: 8).trimmingCharacters(in: .whitespaces),
         String(repeating: "🎧 Überlanger Betreff ", count: 12).trimmingCharacters(in: .whitespaces)),
        (String(repeating: "Long ASCII display name ", count: 6), String(repeating: "word ", count: 40),
         String(repeating: "Long ASCII display name ", count: 6).trimmingCharacters(in: .whitespaces),
         String(repeating: "word ", count: 40).trimmingCharacters(in: .whitespaces)),
    ])
    func noHeaderIsInjectedAndTheTextSurvives(_ name: String, _ subject: String, _ shownName: String, _ shownSubject: String)
        throws
    {
        let email = EmailMessage(
            from: .init(name: name, mailbox: try Mailbox(parsing: "shop@example.com")),
            to: .init(name: name, mailbox: try Mailbox(parsing: "jane@münchen.de")),
            subject: subject, date: testNow, messageID: "id-1@example.com",
            listUnsubscribe: ["mailto:u@example.com?subject=x", "https://example.com/u?t=1"], text: "t", html: "<p>t</p>")
        let parsed = try #require(try parseWithPython([email.eml]).first)

        #expect(parsed.defects.isEmpty, "\(parsed.defects)")
        #expect(parsed.headerNames == Self.headerNames, "no header but these, each once")
        #expect(parsed.headers["Subject"]?.split(whereSeparator: \.isWhitespace) == shownSubject.split(whereSeparator: \.isWhitespace))
        let from = try #require(parsed.headers["From"])
        #expect(from.hasSuffix("<shop@example.com>"), "\(from)")
        #expect(parsed.headers["To"]?.hasSuffix("<jane@xn--mnchen-3ya.de>") == true, "\(parsed.headers["To"] ?? "")")
        let shownFrom = from.replacingOccurrences(of: "\\\"", with: "\"")
        #expect(shownFrom.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains(
            shownName.split(whereSeparator: \.isWhitespace).joined(separator: " ")), "\(from)")
        #expect(parsed.longestHeaderLine <= 76 || !email.eml.contains("=?UTF-8?B?"), "RFC 2047: 76 characters a line")
        #expect(email.headers.allSatisfy { !$0.value.contains(where: { $0 == "\r" || $0 == "\n" }) })
        let encodedWords = email.eml.split(separator: "\r\n\r\n").first!.split(whereSeparator: { $0 == " " || $0 == "\r\n" })
            .filter { $0.hasPrefix("=?UTF-8?B?") }
        #expect(encodedWords.allSatisfy { $0.count <= 75 })
    }
}
