import Foundation
import NightlyCore
import Testing

@Suite("Mailbox: RFC 5321 addresses and RFC 3492 Punycode")
struct MailboxTests {
    /// RFC 3492 section 7.1 sample strings (A, B, C, D, E, J, L, M, S) and two everyday labels.
    @Test(arguments: [
        ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"),
        ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
        ("他們爲什麽不說中文", "ihqwctvzc91f659drss3x8bo0yb"),
        ("Pročprostěnemluvíčesky", "Proprostnemluvesky-uyb24dma41a"),
        ("למההםפשוטלאמדבריםעברית", "4dbcagdahymbxekheh6e0a7fei0b"),
        ("PorquénopuedensimplementehablarenEspañol", "PorqunopuedensimplementehablarenEspaol-fmd56a"),
        ("3年B組金八先生", "3B-ww4c5e180e575a65lsy2b"),
        ("安室奈美恵-with-SUPER-MONKEYS", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"),
        ("-> $1.00 <-", "-> $1.00 <--"),
        ("bücher", "bcher-kva"),
        ("münchen", "mnchen-3ya"),
    ])
    func punycodeMatchesTheRFCVectors(_ unicode: String, _ encoded: String) {
        #expect(Punycode.encode(unicode) == encoded)
    }

    /// Addresses a customer table may hold and the mailbox each becomes (nil: refused, with the problem).
    @Test(arguments: [
        ("jane.doe@example.com", "jane.doe@example.com", nil),
        ("  jane@example.com ", "jane@example.com", nil),
        ("Jane+Tag@Example.COM", "Jane+Tag@example.com", nil),
        ("o'brien@example.ie", "o'brien@example.ie", nil),
        ("\"john doe\"@example.com", "\"john doe\"@example.com", nil),
        ("\"a,b\\\"c\"@example.com", "\"a,b\\\"c\"@example.com", nil),
        ("user@münchen.de", "user@xn--mnchen-3ya.de", nil),
        ("user@MÜNCHEN.de", "user@xn--mnchen-3ya.de", nil),
        ("info@例え.テスト", "info@xn--r8jz45g.xn--zckzah", nil),
        ("", nil, Mailbox.Problem.empty),
        ("   ", nil, .empty),
        ("a@x.com\r\nBcc: victim@example.com", nil, .controlCharacter),
        ("a@x.com\nBcc: victim@example.com", nil, .controlCharacter),
        ("a@x.com\rX", nil, .controlCharacter),
        ("a\u{0}b@x.com", nil, .controlCharacter),
        ("a@x.com\tb", nil, .controlCharacter),
        ("a@x.com, b@y.com", nil, .localPart),
        ("a@x.com,b@y.com", nil, .localPart),
        ("a@x.com; b@y.com", nil, .localPart),
        ("Jane <jane@x.com>", nil, .localPart),
        ("jane@x.com>", nil, .domain),
        ("plainaddress", nil, .noAt),
        ("@example.com", nil, .localPart),
        ("jane@", nil, .domain),
        ("jane.@example.com", nil, .localPart),
        ("ja..ne@example.com", nil, .localPart),
        ("jane doe@example.com", nil, .localPart),
        ("jäne@example.com", nil, .nonASCIILocalPart),
        ("jane@localhost", nil, .domain),
        ("jane@example..com", nil, .domain),
        ("jane@example.com.", nil, .domain),
        ("jane@-example.com", nil, .domain),
        ("jane@exa_mple.com", nil, .domain),
        ("jane@[192.0.2.1]", nil, .domain),
        ("jane@192.0.2.1", nil, .domain),
        ("jane@ex😀ample.com", nil, .domain),
        (String(repeating: "a", count: 65) + "@example.com", nil, .localPartTooLong),
        ("jane@" + String(repeating: "a", count: 64) + ".com", nil, .domainTooLong),
        ("j@" + Array(repeating: String(repeating: "a", count: 60), count: 5).joined(separator: ".") + ".com", nil, .domainTooLong),
        (String(repeating: "a", count: 64) + "@" + Array(repeating: String(repeating: "b", count: 60), count: 4).joined(separator: ".") + ".com", nil, .tooLong),
    ] as [(String, String?, Mailbox.Problem?)])
    func addresses(_ text: String, _ address: String?, _ problem: Mailbox.Problem?) {
        do {
            let mailbox = try Mailbox(parsing: text)
            #expect(mailbox.address == address)
            #expect(problem == nil)
            #expect(!mailbox.address.contains(where: { $0.isNewline }))
        } catch {
            #expect(error == problem, "\(text.debugDescription)")
            #expect(address == nil)
            #expect(!error.description.contains(text) || text.isEmpty, "the sentence never quotes the address")
        }
    }
}
