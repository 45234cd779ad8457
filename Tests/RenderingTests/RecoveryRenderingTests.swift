import Foundation
import NightlyCore
import Rendering
import Testing
import TestSupport

/// What `Tests/Fixtures/parse_eml.py` reports for one `.eml` file.
struct ParsedEmail: Decodable {
    struct Part: Decodable {
        var contentType: String
        var charset: String
        var transferEncoding: String
        var content: String
    }

    var file: String
    var contentType: String
    var headers: [String: String]
    var headerNames: [String]
    var dateValid: Bool
    var parts: [Part]
    var defects: [String]
    var crlfOnly: Bool
    var longestLine: Int
    var longestHeaderLine: Int
}

/// Parses `.eml` texts with Python's `email` package.
func parseWithPython(_ emls: [String]) throws -> [ParsedEmail] {
    let folder = try makeTemporaryDirectory("eml")
    let files = try emls.enumerated().map { index, eml in
        let file = folder.appendingPathComponent("\(index).eml")
        try Data(eml.utf8).write(to: file)
        return file.path
    }
    let output = try runProcess(
        try requireTool("python3"), [Repository.fixtures.appendingPathComponent("parse_eml.py").path] + files)
    guard output.status == 0 else { throw TestEnvironmentError("parse_eml.py failed: \(output.stderr)") }
    return try JSONDecoder().decode([ParsedEmail].self, from: Data(output.stdout.utf8))
}

func recoveryTemplates(_ directory: String = Repository.templates) async throws -> RecoveryTemplates {
    try RecoveryTemplates(templates: try TemplateSet(directory: directory))
}

/// A copy of the repository's templates in a temporary folder, changed by `change`, for broken-template tests.
func templatesCopy(_ change: (URL) throws -> Void) throws -> URL {
    let folder = try makeTemporaryDirectory("templates").appendingPathComponent("templates")
    try FileManager.default.copyItem(at: URL(fileURLWithPath: Repository.templates), to: folder)
    try change(folder)
    return folder
}

@Suite("Recovery messages: templates, text, .eml and push")
struct RecoveryRenderingTests {
    let settings = RecoverySettings()

    func emails(_ renderings: [RecoveryRendering]) -> [(RecoveryRendering, RecoveryRendering.Email)] {
        renderings.compactMap { rendering in
            if case .email(let email) = rendering.content { return (rendering, email) }
            return nil
        }
    }

    @Test func theGalleryCoversEveryTemplateLocaleAndSample() async throws {
        let templates = try await recoveryTemplates()
        #expect(templates.locales == ["de-DE", "en-US", "ja-JP"])
        let gallery = try templates.gallery(settings: settings, now: testNow, formatting: LocalizedFormatting()).map(\.rendering)
        #expect(gallery.count == 3 * 3 * RecoverySamples.all.count)
        #expect(Set(gallery.map(\.message.stage)) == Set(RecoveryStage.messageStages))
        #expect(Set(gallery.map(\.subject)).count == 3 * 3)  // one subject per locale and stage
    }

    @Test func everyEmlParsesBackWithBothPartsAndTheHeaders() async throws {
        let gallery = try await recoveryTemplates().gallery(settings: settings, now: testNow, formatting: LocalizedFormatting())
            .map(\.rendering)
        let rendered = emails(gallery)
        let parsed = try parseWithPython(rendered.map(\.1.message.eml))
        #expect(parsed.count == rendered.count)
        for ((rendering, email), result) in zip(rendered, parsed) {
            let label = "\(rendering.message.locale) \(rendering.message.stage.rawValue)"
            #expect(result.contentType == "multipart/alternative", "\(label)")
            #expect(result.defects.isEmpty, "\(label): \(result.defects)")
            #expect(result.crlfOnly, "\(label)")
            #expect(result.longestLine <= 998, "\(label): a line of \(result.longestLine) characters")
            #expect(result.dateValid, "\(label)")
            #expect(result.parts.map(\.contentType) == ["text/plain", "text/html"], "\(label)")
            #expect(result.parts.allSatisfy { $0.charset == "utf-8" && $0.transferEncoding == "quoted-printable" })
            #expect(result.parts.first?.content == email.text, "\(label)")
            #expect(result.parts.last?.content == email.html, "\(label)")
            #expect(result.headers["Subject"] == email.subject, "\(label)")
            #expect(result.headers["From"] == "Example Shop <shop@example.com>")
            #expect(result.headers["To"] == "zoe.sample@example.com")
            #expect(result.headers["Message-ID"] == "<00000000-0000-4000-8000-000000000000@example.com>")
            #expect(result.headers["MIME-Version"] == "1.0")
            let unsubscribe = result.headers["List-Unsubscribe"] ?? ""
            #expect(unsubscribe.contains("<mailto:unsubscribe@shop.example.com?subject=unsubscribe%20sample-unsubscribe-"))
            #expect(unsubscribe.contains("<https://shop.example.com/unsubscribe?token=sample-unsubscribe-"))
            #expect(result.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        }
        // Non-ASCII subjects travel as RFC 2047 encoded words.
        let japanese = try #require(rendered.first { $0.0.message.locale == "ja-JP" })
        #expect(japanese.1.message.eml.contains("Subject: =?UTF-8?B?"))
    }

    @Test func theHTMLIsBuiltForMailClients() async throws {
        let gallery = try await recoveryTemplates().gallery(settings: settings, now: testNow, formatting: LocalizedFormatting())
            .map(\.rendering)
        for (rendering, email) in emails(gallery) {
            let label = "\(rendering.message.locale) \(rendering.message.stage.rawValue)"
            let document = try HTMLDocument(html: email.html)
            #expect(document.texts(of: "script").isEmpty, "\(label)")
            #expect(!email.html.contains("<link"), "\(label): no external stylesheet")
            #expect(!email.html.contains("<style"), "\(label): inline styles only")
            #expect(email.html.contains("<table role=\"presentation\""), "\(label): table layout")
            let images = email.html.components(separatedBy: "<img ").dropFirst()
            #expect(images.allSatisfy { $0.contains("alt=\"") && $0.contains("width=\"64\"") && $0.contains("height=\"64\"") })
            #expect(document.references.allSatisfy { $0.hasPrefix("https://") }, "\(label): \(document.references)")
            #expect(email.html.contains(rendering.message.code ?? "no code"))
            #expect(email.html.contains(settings.postalAddress))
            #expect(email.html.contains("/cart/recover?token=\(rendering.message.token)&amp;utm_source=checkout-nightly&amp;utm_medium=email&amp;utm_campaign=cart_recovery&amp;utm_content=\(rendering.message.stage.rawValue)"))
        }
    }

    @Test func hostileProductNamesAreRenderedInert() async throws {
        let templates = try await recoveryTemplates()
        let sample = RecoverySamples.Sample(
            name: "hostile", title: "hostile", currency: "USD",
            lines: [
                RecoveryLine(name: "<script>alert(1)</script>", quantity: 1, unitPrice: 1, imageURL: "javascript:alert(1)"),
                RecoveryLine(name: "\"quoted\" & <b>", quantity: 1, unitPrice: 1, imageURL: "https://cdn.example.com/\"onerror=\"x.jpg"),
            ])
        for stage in RecoveryStage.messageStages {
            var message = RecoverySamples.message(sample, stage: stage, locale: "en-US", settings: settings, now: testNow)
            message.firstName = "<img src=x onerror=alert(1)>"
            let rendering = try templates.render(message, settings: settings, formatting: LocalizedFormatting())
            switch rendering.content {
            case .email(let email):
                #expect(!email.html.contains("<script>alert(1)"))
                #expect(!email.html.contains("<b>"))
                #expect(!email.html.contains("<img src=x"))
                #expect(email.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(email.html.contains("&quot;quoted&quot; &amp; &lt;b&gt;"))
                #expect(!email.html.contains("javascript:"))
                #expect(email.html.contains("src=\"https://cdn.example.com/&quot;onerror=&quot;x.jpg\""))
                let document = try HTMLDocument(html: email.html)
                #expect(document.texts(of: "script").isEmpty)
                #expect(document.texts(of: "b").isEmpty)
                #expect(document.texts(of: "td").contains("\"quoted\" & <b>"))
                #expect(email.text.contains("<script>alert(1)</script> | 1 | $1.00"))
            case .push(let push):
                #expect(push.body.contains("2 items"))
            }
        }
    }

    @Test func pricesFollowTheLocaleAndTheCurrency() async throws {
        let templates = try await recoveryTemplates()
        let jpy = try #require(RecoverySamples.all.first { $0.currency == "JPY" })
        let eur = try #require(RecoverySamples.all.first { $0.name == "no-image" })
        let cases: [(RecoverySamples.Sample, String, [String])] = [
            (jpy, "de-DE", ["9.600\u{a0}¥", "31.950\u{a0}¥", "10\u{a0}%"]),
            (jpy, "ja-JP", ["¥9,600", "¥31,950", "10%"]),
            (eur, "de-DE", ["23,46\u{a0}€", "10\u{a0}%", "2. Dezember um 02:00 UTC"]),
            (eur, "ja-JP", ["€23.46", "12月2日 2:00 UTC"]),
            (eur, "en-US", ["€23.46", "December 2 at 2:00\u{202f}AM UTC"]),
        ]
        for (sample, locale, expected) in cases {
            let message = RecoverySamples.message(sample, stage: .secondEmail, locale: locale, settings: settings, now: testNow)
            let rendering = try templates.render(message, settings: settings, formatting: LocalizedFormatting())
            guard case .email(let email) = rendering.content else { Issue.record("not an e-mail"); continue }
            for text in expected {
                #expect(email.html.contains(text), "\(sample.name) \(locale): \(text)")
                #expect(email.text.contains(text), "\(sample.name) \(locale): \(text)")
            }
        }
    }

    @Test func pushMessagesStayWithinTheirLimits() async throws {
        let templates = try await recoveryTemplates()
        let long = RecoverySamples.Sample(
            name: "long", title: "long", currency: "EUR",
            lines: [RecoveryLine(name: String(repeating: "Überlange Produktbezeichnung 🧶 ", count: 20), quantity: 1, unitPrice: 5, imageURL: nil)])
        for locale in templates.locales {
            for sample in RecoverySamples.all + [long] {
                let message = RecoverySamples.message(sample, stage: .push, locale: locale, settings: settings, now: testNow)
                guard case .push(let push) = try templates.render(message, settings: settings, formatting: LocalizedFormatting()).content
                else { Issue.record("not a push"); continue }
                #expect(!push.title.isEmpty && push.title.count <= RecoveryPushView.maxTitleLength)
                #expect(!push.body.isEmpty && push.body.count <= RecoveryPushView.maxBodyLength)
                #expect(push.link.contains("utm_medium=push"))
            }
        }
    }

    /// The text part of a fixed message matches the golden file (re-record with RECORD_GOLDEN=1).
    @Test(arguments: [("one-item", "en-US", RecoveryStage.firstEmail), ("25-items", "de-DE", .secondEmail), ("jpy", "ja-JP", .firstEmail)])
    func textPartMatchesTheGoldenFile(_ sampleName: String, _ locale: String, _ stage: RecoveryStage) async throws {
        let sample = try #require(RecoverySamples.all.first { $0.name == sampleName })
        let message = RecoverySamples.message(sample, stage: stage, locale: locale, settings: settings, now: testNow)
        let rendering = try await recoveryTemplates().render(message, settings: settings, formatting: LocalizedFormatting())
        guard case .email(let email) = rendering.content else { Issue.record("not an e-mail"); return }
        let golden = Repository.fixtures.appendingPathComponent("recovery/\(stage.rawValue)-\(locale)-\(sampleName).txt")
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try Data(email.text.utf8).write(to: golden)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(email.text == expected)
    }

    @Test func aMissingLocaleTemplateStopsWithItsPath() async throws {
        let folder = try templatesCopy { try FileManager.default.removeItem(at: $0.appendingPathComponent("emails/de-DE/push_body.mustache")) }
        let error = await #expect(throws: TemplateError.self) { try await recoveryTemplates(folder.path) }
        #expect(error?.message.contains("emails/de-DE/push_body.mustache is missing") == true, "\(error?.message ?? "")")
    }

    @Test func aMissingFallbackLocaleStops() async throws {
        let folder = try templatesCopy { try FileManager.default.removeItem(at: $0.appendingPathComponent("emails/en-US")) }
        let error = await #expect(throws: TemplateError.self) { try await recoveryTemplates(folder.path) }
        #expect(error?.message.contains("en-US/ does not exist") == true, "\(error?.message ?? "")")
    }

    @Test func aMisspelledParentNamesFileAndLine() async throws {
        let folder = try templatesCopy {
            try "{{<email_layuot}}\n{{$intro}}x{{/intro}}\n{{/email_layuot}}\n".write(
                to: $0.appendingPathComponent("emails/ja-JP/second_email.mustache"), atomically: true, encoding: .utf8)
        }
        let error = await #expect(throws: TemplateError.self) { try await recoveryTemplates(folder.path) }
        #expect(error?.message.contains("emails/ja-JP/second_email.mustache:1: the parent template \"email_layuot\" does not exist") == true,
                "\(error?.message ?? "")")
    }

    @Test func aTemplateThatDoesNotParseNamesFileAndLine() async throws {
        let folder = try templatesCopy {
            try "{{<email_layout}}\n{{$intro}}\n{{#percent}}never closed\n{{/intro}}\n{{/email_layout}}\n".write(
                to: $0.appendingPathComponent("emails/de-DE/first_email.mustache"), atomically: true, encoding: .utf8)
        }
        let error = await #expect(throws: TemplateError.self) { try await recoveryTemplates(folder.path) }
        #expect(error?.message.contains("first_email.mustache:") == true, "\(error?.message ?? "")")
    }

    @Test func aTemplateWithoutTheUnsubscribeLinkFailsTheGallery() async throws {
        let folder = try templatesCopy { folder in
            let layout = folder.appendingPathComponent("email_layout.mustache")
            let text = try String(contentsOf: layout, encoding: .utf8).replacingOccurrences(of: "{{unsubscribeURL}}", with: "#")
            try text.write(to: layout, atomically: true, encoding: .utf8)
        }
        let templates = try await recoveryTemplates(folder.path)
        let error = #expect(throws: TemplateError.self) {
            try templates.gallery(settings: settings, now: testNow, formatting: LocalizedFormatting())
        }
        #expect(error?.message.contains("emails/de-DE/first_email.mustache rendered without the unsubscribe link") == true,
                "\(error?.message ?? "")")
    }
}

@Suite("MIME encodings")
struct EmailMessageTests {
    func message(subject: String, text: String) -> EmailMessage {
        EmailMessage(
            from: .init(name: "Müller & Söhne, \"Shop\"", mailbox: try! Mailbox(parsing: "shop@example.com")),
            to: .init(mailbox: try! Mailbox(parsing: "a@example.com")),
            subject: subject, date: testNow, messageID: "id-1@example.com",
            listUnsubscribe: ["mailto:u@example.com?subject=x", "https://example.com/u?t=1"], text: text, html: "<p>\(text)</p>")
    }

    @Test(arguments: [
        "Plain ASCII subject",
        "Ein sehr langer Betreff mit Umlauten – äöü ß – der sicher über mehrere kodierte Wörter hinausgeht 🎧🎧🎧",
        "=?UTF-8?B?not really?= encoded",
        "最後のチャンス:カートの商品が10%オフ",
    ])
    func subjectsAndBodiesRoundTrip(_ subject: String) throws {
        let text = "Line one with trailing space \nA long line " + String(repeating: "é=x ", count: 60) + "\n\n.dot\tTab\t\nend"
        let email = message(subject: subject, text: text)
        let parsed = try #require(try parseWithPython([email.eml]).first)
        #expect(parsed.defects.isEmpty, "\(parsed.defects)")
        #expect(parsed.headers["Subject"] == subject)
        #expect(parsed.headers["From"]?.contains("Müller & Söhne, \\\"Shop\\\"") == true, "\(parsed.headers["From"] ?? "")")
        #expect(parsed.headers["From"]?.hasSuffix("<shop@example.com>") == true)
        #expect(parsed.parts.first?.content == text)
        #expect(parsed.longestLine <= 998)
        // Quoted-printable body lines stay within 76 characters.
        let body = email.eml.components(separatedBy: "Content-Transfer-Encoding: quoted-printable\r\n\r\n").dropFirst()
        #expect(body.allSatisfy { $0.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 } })
        #expect(parsed.headers["Date"] == "Tue, 25 Nov 2025 02:00:00 +0000")
    }

    @Test func quotedPrintableEscapesWhatItMust() {
        let eml = message(subject: "s", text: "a=b trailing \nümlaut").eml
        #expect(eml.contains("a=3Db trailing=20\r\n=C3=BCmlaut"))
    }
}
