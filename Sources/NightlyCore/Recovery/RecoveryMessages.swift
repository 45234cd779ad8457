import Foundation

/// One line of a cart as the messages show it.
public struct RecoveryLine: Sendable, Equatable {
    public var name: String
    public var quantity: Int
    public var unitPrice: Decimal
    public var imageURL: String?
    /// False when the line failed its stock check (task 1.3): shown as "currently unavailable", not in the total.
    public var available: Bool

    public init(name: String, quantity: Int, unitPrice: Decimal, imageURL: String?, available: Bool = true) {
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.imageURL = imageURL
        self.available = available
    }
}

/// Everything one recovery message says, independent of its wording: the input of the view models.
public struct RecoveryMessage: Sendable, Equatable {
    /// The ledger row's id, also the e-mail's `Message-ID`.
    public var id: UUID
    public var stage: RecoveryStage
    /// The locale the message is written in (one that has templates).
    public var locale: String
    /// The e-mail address (e-mails) or the customer id (push).
    public var recipient: String
    public var firstName: String
    public var currency: String
    public var lines: [RecoveryLine]
    /// The discount code and its percent; nil for push.
    public var code: String?
    public var percent: Int?
    public var createdAt: Date
    /// When the link and the code stop working.
    public var expiresAt: Date
    /// The time zone the message states times in (the expiry): UTC (`Etc/UTC`, which ICU names "UTC" where
    /// `UTC` reads "GMT") until customers carry their own zone.
    public var timeZone: TimeZone
    /// The link token (never stored; only its hash is).
    public var token: String
    /// The unsubscribe token (never stored; only its hash is).
    public var unsubscribeToken: String

    public init(
        id: UUID, stage: RecoveryStage, locale: String, recipient: String, firstName: String, currency: String,
        lines: [RecoveryLine], code: String?, percent: Int?, createdAt: Date, expiresAt: Date,
        timeZone: TimeZone = TimeZone(identifier: "Etc/UTC")!, token: String, unsubscribeToken: String
    ) {
        self.id = id
        self.stage = stage
        self.locale = locale
        self.recipient = recipient
        self.firstName = firstName
        self.currency = currency
        self.lines = lines
        self.code = code
        self.percent = percent
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.timeZone = timeZone
        self.token = token
        self.unsubscribeToken = unsubscribeToken
    }

    /// The first name to greet the customer with, nil when there is none.
    public var greetingName: String? {
        let name = firstName.trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    /// The cart's total: the sum of quantity × unit price of the lines in stock.
    public var total: Decimal {
        lines.filter(\.available).reduce(0) { $0 + Decimal($1.quantity) * $1.unitPrice }
    }

    /// The link that restores the cart and applies the code, with UTM parameters naming channel and stage.
    public func recoverURL(_ settings: RecoverySettings) -> String {
        let medium = stage.channel?.rawValue ?? "email"
        return "\(settings.baseURL)/cart/recover?token=\(token)&utm_source=checkout-nightly&utm_medium=\(medium)"
            + "&utm_campaign=cart_recovery&utm_content=\(stage.rawValue)"
    }

    /// The https unsubscribe link (also the target of one-click unsubscribe, RFC 8058).
    public func unsubscribeURL(_ settings: RecoverySettings) -> String {
        "\(settings.baseURL)/unsubscribe?token=\(unsubscribeToken)"
    }

    /// The mailto unsubscribe of the `List-Unsubscribe` header.
    public func unsubscribeMailto(_ settings: RecoverySettings) -> String {
        "mailto:\(settings.unsubscribeMailbox)?subject=unsubscribe%20\(unsubscribeToken)"
    }
}

/// The view model of the e-mail templates (`templates/emails/<locale>/<stage>*.mustache` and
/// `templates/email_layout.mustache`): every value already formatted for the locale, every one escaped by Mustache.
public struct RecoveryEmailView: Sendable {
    /// One cart line.
    public struct Item: Sendable {
        public var name: String
        public var quantity: Int
        public var unitPrice: String
        public var lineTotal: String
        /// The line failed its stock check: the templates show "currently unavailable" instead of its total.
        public var unavailable: Bool
        /// The product image, or nil when the product has none (or its URL is not http(s)).
        public var image: Image?
    }

    /// A product image with the size the layout reserves for it.
    public struct Image: Sendable {
        public var url: String
        public var alt: String
        public var width = 64
        public var height = 64
    }

    /// The lines not shown because the e-mail lists at most `maxItemsShown`.
    public struct MoreItems: Sendable {
        public var count: Int
    }

    /// The e-mail lists at most this many lines, then "and N more".
    public static let maxItemsShown = 10
    /// Product names longer than this are cut with `…`.
    public static let maxNameLength = 90

    public var lang: String
    /// The customer's first name, nil when there is none (templates then greet without a name).
    public var firstName: String?
    public var items: [Item]
    public var moreItems: MoreItems?
    public var total: String
    public var code: String
    public var percent: String
    public var expiry: String
    public var recoverURL: String
    public var unsubscribeURL: String
    public var shopName: String
    public var postalAddress: String
    /// Filled in from the subject and preheader templates before the body is rendered.
    public var subject = ""
    public var preheader = ""

    public init(_ message: RecoveryMessage, settings: RecoverySettings, formatting: LocalizedFormatting) {
        let locale = message.locale
        func money(_ amount: Decimal) -> String { formatting.money(amount, currency: message.currency, locale: locale) }
        lang = locale
        firstName = message.greetingName
        items = message.lines.prefix(Self.maxItemsShown).map { line in
            let name = TextLimit.truncate(line.name, to: Self.maxNameLength)
            return Item(
                name: name, quantity: line.quantity, unitPrice: money(line.unitPrice),
                lineTotal: money(Decimal(line.quantity) * line.unitPrice), unavailable: !line.available,
                image: line.imageURL.flatMap { url in
                    url.hasPrefix("https://") || url.hasPrefix("http://") ? Image(url: url, alt: name) : nil
                })
        }
        moreItems = message.lines.count > Self.maxItemsShown ? MoreItems(count: message.lines.count - Self.maxItemsShown) : nil
        total = money(message.total)
        code = message.code ?? ""
        percent = message.percent.map { formatting.percent($0, locale: locale) } ?? ""
        expiry = formatting.dateTime(message.expiresAt, locale: locale, timeZone: message.timeZone)
        recoverURL = message.recoverURL(settings)
        unsubscribeURL = message.unsubscribeURL(settings)
        shopName = settings.senderName
        postalAddress = settings.postalAddress
    }
}

/// The view model of the push templates (`templates/emails/<locale>/push_title.mustache`, `push_body.mustache`).
public struct RecoveryPushView: Sendable {
    /// Push titles are cut to this many characters, bodies to `maxBodyLength` (within what APNs and FCM show).
    public static let maxTitleLength = 65
    public static let maxBodyLength = 240

    public var firstName: String?
    /// The number of pieces in the cart, and whether it is exactly one (for wording without plural rules).
    public var itemCount: Int
    public var singleItem: Bool
    public var firstItemName: String
    public var total: String
    public var shopName: String

    public init(_ message: RecoveryMessage, settings: RecoverySettings, formatting: LocalizedFormatting) {
        // A push speaks only of what can be bought: the lines in stock, like the total.
        let available = message.lines.filter(\.available)
        firstName = message.greetingName
        itemCount = available.reduce(0) { $0 + $1.quantity }
        singleItem = itemCount == 1
        firstItemName = available.first.map { TextLimit.truncate($0.name, to: 40) } ?? ""
        total = formatting.money(message.total, currency: message.currency, locale: message.locale)
        shopName = settings.senderName
    }
}
