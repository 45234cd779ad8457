import Foundation

/// Fixed sample carts for the template gallery and the render benchmark, so every template can be reviewed in
/// every locale on a night when no cart is due.
public enum RecoverySamples {
    /// One sample: a name for file names, a title for the gallery, and the cart's lines and currency.
    public struct Sample: Sendable {
        public var name: String
        public var title: String
        public var currency: String
        public var lines: [RecoveryLine]

        public init(name: String, title: String, currency: String, lines: [RecoveryLine]) {
            self.name = name
            self.title = title
            self.currency = currency
            self.lines = lines
        }
    }

    /// One item; 25 items; a very long (and hostile) name; no image; a JPY cart; a line out of stock.
    public static let all: [Sample] = [
        Sample(
            name: "one-item", title: "One item", currency: "USD",
            lines: [RecoveryLine(name: "Organic Cotton Tee", quantity: 1, unitPrice: 24, imageURL: image("prod-tee"))]),
        Sample(
            name: "25-items", title: "25 items", currency: "EUR",
            lines: (1...25).map {
                RecoveryLine(
                    name: "Dotted Notebook A5 No. \($0)", quantity: 1 + $0 % 3, unitPrice: Decimal(9) + Decimal($0) / 10,
                    imageURL: image("prod-notebook"))
            }),
        Sample(
            name: "long-name", title: "A very long name", currency: "USD",
            lines: [
                RecoveryLine(
                    name: "Ultra-Comfortable Extra-Long Organic Merino Wool Travel Blanket with Hidden Pockets, Carry Strap and Matching Pillow Case <script>alert(1)</script> \"quoted\" & <b>bold</b>",
                    quantity: 2, unitPrice: 149.99, imageURL: image("prod-blanket")),
                RecoveryLine(name: "Socks 3-Pack (M&L)", quantity: 1, unitPrice: 12, imageURL: image("prod-socks")),
            ]),
        Sample(
            name: "no-image", title: "No image", currency: "EUR",
            lines: [RecoveryLine(name: "Earl Grey 100 g", quantity: 3, unitPrice: 7.82, imageURL: nil)]),
        Sample(
            name: "jpy", title: "JPY (no minor unit)", currency: "JPY",
            lines: [
                RecoveryLine(name: "抹茶セット 🍵", quantity: 2, unitPrice: 4800, imageURL: image("prod-matcha")),
                RecoveryLine(name: "Kopfhörer – Über-Ear 🎧", quantity: 1, unitPrice: 22350, imageURL: image("prod-headphones")),
            ]),
        Sample(
            name: "out-of-stock", title: "A line out of stock", currency: "EUR",
            lines: [
                RecoveryLine(name: "Linen Apron", quantity: 1, unitPrice: 29, imageURL: image("prod-apron")),
                RecoveryLine(
                    name: "Cast Iron Skillet 26 cm", quantity: 1, unitPrice: 54.9, imageURL: image("prod-skillet"),
                    available: false),
            ]),
    ]

    /// The message `sample` becomes at `stage` in `locale`, with fixed code, tokens and times so renderings are
    /// stable from run to run.
    public static func message(
        _ sample: Sample, stage: RecoveryStage, locale: String, settings: RecoverySettings, now: Date
    ) -> RecoveryMessage {
        let percent = settings.percent(of: stage)
        return RecoveryMessage(
            id: UUID(uuidString: "00000000-0000-4000-8000-000000000000")!, stage: stage, locale: locale,
            recipient: "zoe.sample@example.com", firstName: "Zoë", currency: sample.currency, lines: sample.lines,
            code: percent == nil ? nil : "SAMP-4EXA-MP7E", percent: percent,
            createdAt: now, expiresAt: now.addingTimeInterval(settings.codeValidity),
            token: "sample-token-\(sample.name)", unsubscribeToken: "sample-unsubscribe-\(sample.name)")
    }

    private static func image(_ product: String) -> String { "https://cdn.example.com/products/\(product).jpg" }
}
