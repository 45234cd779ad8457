import Foundation
import NightlyCore

/// A recovery message rendered for its channel.
public struct RecoveryRendering: Sendable {
    /// An e-mail: subject, preheader, HTML, the text part made from the HTML, and the complete message.
    public struct Email: Sendable {
        public var subject: String
        public var preheader: String
        public var html: String
        public var text: String
        public var message: EmailMessage
    }

    /// A push message: title and body within the channel's limits, and the link it opens.
    public struct Push: Sendable {
        public var title: String
        public var body: String
        public var link: String
    }

    public enum Content: Sendable {
        case email(Email)
        case push(Push)
    }

    public var message: RecoveryMessage
    public var content: Content

    /// The e-mail subject or the push title.
    public var subject: String {
        switch content {
        case .email(let email): email.subject
        case .push(let push): push.title
        }
    }

    /// A short text preview: the e-mail's preheader or the push body.
    public var preview: String {
        switch content {
        case .email(let email): email.preheader
        case .push(let push): push.body
        }
    }
}

/// The cart recovery templates: `templates/emails/<locale>/<stage>.mustache` (with `_subject` and `_preheader`)
/// for the e-mails, `push_title` and `push_body` for push, and the shared `email_layout*.mustache` parents.
/// A locale is a folder of `emails/` in any of the template folders; every locale must be complete (a shop's folder
/// may lack what the installed templates have) and en-US must exist; a customer locale without a folder falls back
/// (same language first, then en-US).
public struct RecoveryTemplates: Sendable {
    /// The template parts of each stage that sends a message.
    public static func parts(of stage: RecoveryStage) -> [String] {
        stage.channel == .push ? ["_title", "_body"] : ["", "_subject", "_preheader"]
    }

    public let templates: TemplateSet
    /// The locales that have a template folder, sorted.
    public let locales: [String]

    /// Finds the locales (the `emails/<locale>/` folders of every template folder) and checks that each has every
    /// template, naming the first one missing.
    public init(templates: TemplateSet) throws {
        self.templates = templates
        locales = Set(templates.names.compactMap { name -> String? in
            let parts = name.split(separator: "/")
            return parts.count == 3 && parts[0] == "emails" ? String(parts[1]) : nil
        }).sorted()
        let folder = "\(templates.directories.first ?? "templates")/emails"
        guard locales.contains(MessageLocale.fallback) else {
            throw TemplateError(
                template: "emails/\(MessageLocale.fallback)",
                message: "the fallback locale's templates are missing: \(folder)/\(MessageLocale.fallback)/ does not exist")
        }
        for locale in locales {
            for stage in RecoveryStage.messageStages {
                for part in Self.parts(of: stage) where !templates.contains(Self.name(stage, part, locale)) {
                    throw TemplateError(
                        template: Self.name(stage, part, locale),
                        message: "\(path(stage, part, locale)) is missing; every locale folder under \(folder) needs all of \(Self.allNames(locale).map { ($0 as NSString).lastPathComponent + ".mustache" }.joined(separator: ", "))")
                }
            }
        }
    }

    /// Renders `message` for its stage's channel. Throws, naming the template, when a rendering lacks what every
    /// message needs (a subject or title; for e-mails the cart link, the code and the unsubscribe link).
    public func render(
        _ message: RecoveryMessage, settings: RecoverySettings, formatting: LocalizedFormatting
    ) throws -> RecoveryRendering {
        message.stage.channel == .push
            ? RecoveryRendering(message: message, content: .push(try renderPush(message, settings, formatting)))
            : RecoveryRendering(message: message, content: .email(try renderEmail(message, settings, formatting)))
    }

    /// One rendering of the template gallery: a sample cart in one locale at one stage.
    public struct GalleryItem: Sendable {
        public var sample: RecoverySamples.Sample
        public var rendering: RecoveryRendering
    }

    /// Renders every template in every locale for the fixed sample carts: the template gallery, and the check
    /// that runs before the recovery pass records anything.
    public func gallery(settings: RecoverySettings, now: Date, formatting: LocalizedFormatting) throws -> [GalleryItem] {
        try locales.flatMap { locale in
            try RecoveryStage.messageStages.flatMap { stage in
                try RecoverySamples.all.map { sample in
                    GalleryItem(
                        sample: sample,
                        rendering: try render(
                            RecoverySamples.message(sample, stage: stage, locale: locale, settings: settings, now: now),
                            settings: settings, formatting: formatting))
                }
            }
        }
    }

    private func renderEmail(
        _ message: RecoveryMessage, _ settings: RecoverySettings, _ formatting: LocalizedFormatting
    ) throws -> RecoveryRendering.Email {
        let stage = message.stage
        var view = RecoveryEmailView(message, settings: settings, formatting: formatting)
        view.subject = try renderLine(stage, "_subject", message.locale, view)
        view.preheader = try renderLine(stage, "_preheader", message.locale, view)
        let html = try templates.render(Self.name(stage, "", message.locale), view)
        let required = [("the link to the cart", view.recoverURL), ("the unsubscribe link", view.unsubscribeURL),
                        ("the discount code", view.code)]
        for (what, value) in required where !ByteSearch.contains(html, HTMLEscaping.escape(value)) {
            throw TemplateError(
                template: Self.name(stage, "", message.locale),
                message: "\(path(stage, "", message.locale)) rendered without \(what) (\(value)); every recovery e-mail must show it, so check that template and the email_layout parents it extends")
        }
        let text = try HTMLDocument(html: html).plainText
        let email = EmailMessage(
            from: .init(name: settings.senderName, address: settings.senderAddress),
            to: .init(address: message.recipient), subject: view.subject, date: message.createdAt,
            messageID: message.id.uuidString.lowercased() + "@" + (settings.senderAddress.split(separator: "@").last.map(String.init) ?? "localhost"),
            listUnsubscribe: [message.unsubscribeMailto(settings), message.unsubscribeURL(settings)], text: text, html: html)
        return RecoveryRendering.Email(subject: view.subject, preheader: view.preheader, html: html, text: text, message: email)
    }

    private func renderPush(
        _ message: RecoveryMessage, _ settings: RecoverySettings, _ formatting: LocalizedFormatting
    ) throws -> RecoveryRendering.Push {
        let view = RecoveryPushView(message, settings: settings, formatting: formatting)
        return RecoveryRendering.Push(
            title: TextLimit.truncate(try renderLine(.push, "_title", message.locale, view), to: RecoveryPushView.maxTitleLength),
            body: TextLimit.truncate(try renderLine(.push, "_body", message.locale, view), to: RecoveryPushView.maxBodyLength),
            link: message.recoverURL(settings))
    }

    /// A one-line text template (subject, preheader, push title or body): white space folded, never empty.
    private func renderLine(_ stage: RecoveryStage, _ part: String, _ locale: String, _ view: Any) throws -> String {
        let line = try templates.render(Self.name(stage, part, locale), view)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !line.isEmpty else {
            throw TemplateError(template: Self.name(stage, part, locale), message: "\(path(stage, part, locale)) rendered empty text")
        }
        return line
    }

    private static func name(_ stage: RecoveryStage, _ part: String, _ locale: String) -> String {
        "emails/\(locale)/\(stage.rawValue)\(part)"
    }

    private static func allNames(_ locale: String) -> [String] {
        RecoveryStage.messageStages.flatMap { stage in parts(of: stage).map { name(stage, $0, locale) } }
    }

    private func path(_ stage: RecoveryStage, _ part: String, _ locale: String) -> String {
        templates.path(of: Self.name(stage, part, locale))
    }
}

extension RecoveryRendering {
    /// The token that stands in for live link and unsubscribe tokens in review copies.
    public static let reviewToken = "review-copy"

    /// A copy for marketing's review (`output/emails/`, the site): the link and unsubscribe tokens, live
    /// credentials until they expire, are replaced by `reviewToken`; only the outbox holds the real ones.
    public func forReview() -> RecoveryRendering {
        func redact(_ text: String) -> String {
            ByteSearch.replacing(
                message.unsubscribeToken, with: Self.reviewToken,
                in: ByteSearch.replacing(message.token, with: Self.reviewToken, in: text))
        }
        var copy = self
        switch content {
        case .email(var email):
            email.html = redact(email.html)
            email.text = redact(email.text)
            email.message.html = redact(email.message.html)
            email.message.text = redact(email.message.text)
            email.message.listUnsubscribe = email.message.listUnsubscribe.map(redact)
            copy.content = .email(email)
        case .push(var push):
            push.link = redact(push.link)
            copy.content = .push(push)
        }
        return copy
    }
}
