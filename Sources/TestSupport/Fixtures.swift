import Foundation
import NightlyCore
import Postgres

/// The one fixture kit: rows of the order service's tables and of the batch's ledgers, made to measure for a
/// test in a database of its own. One builder per kind of row, a default for every column and an override by
/// parameter; times default to relative to `now`.
public struct Fixtures {
    public let database: TestDatabase
    public let connection: Connection
    /// The clock the defaults are relative to (the tests' `testNow` unless given).
    public let now: Date

    /// Fixtures in `database`, or in a new database of their own.
    public init(_ database: TestDatabase? = nil, now: Date = testNow) throws {
        self.database = try database ?? TestDatabase.create()
        connection = try self.database.connect()
        self.now = now
    }

    /// Inserts a customer; the e-mail defaults to one made from the first name and the id.
    @discardableResult
    public func customer(
        _ firstName: String = "Ava", email: String? = nil, locale: String = "en-US", optIn: Bool = true,
        unsubscribed: Bool = false, bounced: Bool = false, push: Bool = false
    ) throws -> UUID {
        let id = UUID()
        try execute(
            """
            INSERT INTO customers (id, email, first_name, locale, marketing_opt_in, unsubscribed_at, email_bounced_at, push_enabled)
            VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::boolean,
                    CASE WHEN $6::boolean THEN now() END, CASE WHEN $7::boolean THEN now() END, $8::boolean)
            """,
            [id, email ?? "\(firstName.lowercased()).\(id.uuidString.prefix(8).lowercased())@example.com", firstName,
             locale, optIn, unsubscribed, bounced, push])
        return id
    }

    /// Inserts a cart last touched at `lastActivity` (default: an hour before `now`), created at `createdAt`
    /// (default: an hour before that), expiring at `expiresAt` (default: 30 days after its last activity), holding
    /// `items`; returns its id. A guest cart has no customer; a cart in checkout started it at its last activity
    /// unless `checkoutStartedAt` says otherwise.
    @discardableResult
    public func cart(
        of customer: UUID? = nil, status: String = "active", orderID: UUID? = nil, lastActivity: Date? = nil,
        createdAt: Date? = nil, checkoutStartedAt: Date? = nil, expiresAt: Date? = nil, currency: String = "USD",
        version: Int = 1, metadata: String = "{}", items: [CartItem] = [CartItem()]
    ) throws -> UUID {
        let id = UUID()
        let activity = lastActivity ?? now.addingTimeInterval(-3600)
        let created = createdAt ?? activity.addingTimeInterval(-3600)
        try execute(
            """
            INSERT INTO cart_sessions (id, session_id, customer_id, status, is_active, order_id, currency, metadata, version,
                                       created_at, updated_at, checkout_started_at, expires_at)
            VALUES ($1::uuid, 'sess_' || $1::text, $2::uuid, $3::text, $3::text IN ('active', 'checkout'), $4::uuid,
                    $5::text, $6::jsonb, $7::int, $8::timestamptz, $9::timestamptz,
                    COALESCE($10::timestamptz, CASE WHEN $3::text = 'checkout' THEN $9::timestamptz END), $11::timestamptz)
            """,
            [id, customer, status, orderID, currency, metadata, version, created, activity, checkoutStartedAt,
             expiresAt ?? activity.addingTimeInterval(30 * 86400)])
        try self.items(items, in: id, addedAt: activity)
        return id
    }

    /// Inserts `items` into `cart`, the n-th one added n seconds after `addedAt`.
    public func items(_ items: [CartItem], in cart: UUID, addedAt: Date) throws {
        for (index, item) in items.enumerated() {
            try execute(
                """
                INSERT INTO cart_items (id, cart_session_id, product_id, sku, product_name, image_url, quantity, unit_price,
                                        in_stock, stock_error, created_at, updated_at)
                VALUES (gen_random_uuid(), $1::uuid, COALESCE($9::text, 'prod-' || $2::int), 'SKU-' || $2::int, $3::text,
                        'https://cdn.example.com/p.jpg', $4::int, $5::numeric, $6::boolean, $7::text,
                        $8::timestamptz + make_interval(secs => $2::int), $8::timestamptz)
                """,
                [cart, index, item.name, item.quantity, item.price, item.inStock, item.stockError, addedAt, item.productID])
        }
    }

    /// Inserts an order (default: paid, 29 USD, created at `now`, by a new customer); returns its id.
    @discardableResult
    public func order(
        _ id: UUID = UUID(), number: String? = nil, customer: UUID? = nil, cart: UUID? = nil, status: String = "paid",
        total: Decimal = 29, currency: String = "USD", discountCode: String? = nil, metadata: String = "{}",
        createdAt: Date? = nil
    ) throws -> UUID {
        let customer = try customer ?? self.customer()
        try execute(
            """
            INSERT INTO orders (id, order_number, customer_id, cart_session_id, status, total_amount, currency, discount_code,
                                metadata, created_at)
            VALUES ($1::uuid, $2::text, $3::uuid, $4::uuid, $5::text, $6::numeric, $7::text,
                    $8::text, $9::jsonb, $10::timestamptz)
            """,
            [id, number ?? "ORD-\(id.uuidString.prefix(13))", customer, cart, status, total, currency, discountCode,
             metadata, createdAt ?? now])
        return id
    }

    /// Inserts an order whose `reservation_confirmation_errors` is `errors` (any JSON: tests give malformed ones),
    /// with `extra` metadata keys beside it; returns its id.
    @discardableResult
    public func orderWithReservationErrors(
        _ number: String, customer: UUID? = nil, createdAt: Date, errors: String, extra: String = "{}"
    ) throws -> UUID {
        let metadata = try connection.queryFirst(
            SQLStatement(
                "SELECT ($1::jsonb || jsonb_build_object('reservation_confirmation_errors', $2::jsonb))::text AS metadata",
                source: "test fixture"),
            [extra, errors]
        ) { try $0.decode("metadata", as: String.self) } ?? extra
        return try order(
            number: number, customer: customer, status: "placed", total: 42.50, currency: "EUR", metadata: metadata,
            createdAt: createdAt)
    }

    /// Inserts an order with one well-formed confirmation error per reservation id; returns its id.
    @discardableResult
    public func orderWithReservationErrors(_ number: String, createdAt: Date, reservations: [String]) throws -> UUID {
        try orderWithReservationErrors(
            number, createdAt: createdAt, errors: "[" + reservations.map { Self.reservationError($0) }.joined(separator: ",") + "]")
    }

    /// One well-formed entry of `reservation_confirmation_errors` for `reservation`.
    public static func reservationError(_ reservation: String, sku: String = "SKU-1") -> String {
        #"{"reservation_id": "\#(reservation)", "product_id": "p-1", "sku": "\#(sku)", "warehouse_id": "wh-1", "reason": "warehouse_timeout", "message": "timed out", "failed_at": "2026-11-25T01:00:00Z"}"#
    }

    /// Inserts one message into the recovery ledger as the recovery pass records it, sent `hoursAgo` before
    /// `now` (for a cart and customer of its own); a converted one gets its order (total in `currency`) and, for
    /// e-mails whose order `usedCode`, its redeemed code.
    public func recoveryMessage(
        _ stage: RecoveryStage, hoursAgo: Double, clicked: Bool,
        converted: (total: Decimal, currency: String, percent: Int)? = nil, usedCode: Bool = true
    ) throws {
        var random = SystemRandomNumberGenerator()
        let sent = now.addingTimeInterval(-hoursAgo * 3600)
        let (cart, customer, message) = (UUID(), UUID(), UUID())
        let isEmail = stage != .push
        let code = isEmail ? DiscountCode.generate(using: &random) : nil
        if let code {
            try execute(
                """
                INSERT INTO checkout_nightly.discount_codes (code, percent, customer_id, cart_id, issued_at, expires_at)
                VALUES ($1::text, $2::int, $3::uuid, $4::uuid, $5::timestamptz, $5::timestamptz + interval '7 days')
                """, [code, converted?.percent ?? 5, customer, cart, sent])
        }
        let orderID = try converted.map { converted in
            let id = UUID()
            return try order(
                id, number: "ORD-R-\(id.uuidString.prefix(8))", customer: customer, cart: cart, total: converted.total,
                currency: converted.currency, discountCode: usedCode ? code : nil, createdAt: sent.addingTimeInterval(1800))
        }
        if let orderID, usedCode {
            try execute(
                "UPDATE checkout_nightly.discount_codes SET redeemed_order_id = $2::uuid, redeemed_at = $3::timestamptz WHERE code = $1::text",
                [code, orderID, sent.addingTimeInterval(1800)])
        }
        func tokenHash() -> String { (0..<4).map { _ in String(format: "%016llx", random.next()) }.joined() }
        try execute(
            """
            INSERT INTO checkout_nightly.recovery_messages
                (id, cart_id, customer_id, stage, channel, recipient, locale, subject, code, token_hash,
                 unsubscribe_token_hash, cart_activity_at, created_at, expires_at, run_id, clicked_at, converted_order_id,
                 converted_at)
            VALUES ($1::uuid, $2::uuid, $3::uuid, $4::text, $5::text, 'shopper@example.com', 'en-US', 'Your cart', $6::text,
                    $7::text, $8::text, $9::timestamptz - interval '2 hours', $9::timestamptz,
                    $9::timestamptz + interval '7 days', $1::uuid, $10::timestamptz, $11::uuid, $12::timestamptz)
            """,
            [message, cart, customer, stage.rawValue, isEmail ? "email" : "push", code, tokenHash(),
             isEmail ? tokenHash() : nil, sent, clicked ? sent.addingTimeInterval(600) : nil, orderID,
             orderID == nil ? nil : sent.addingTimeInterval(1800)])
    }

    /// The number `sql` counts (its one column `n`).
    public func count(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> Int {
        try connection.count(sql, parameters)
    }

    /// Runs one statement of a test's own.
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws {
        try connection.execute(SQLStatement(sql, source: "test fixture"), parameters)
    }
}

/// One line of a cart, for `Fixtures.cart(items:)`.
public struct CartItem: Sendable {
    public var name: String
    /// nil: `prod-<position>`.
    public var productID: String?
    public var quantity: Int
    public var price: Decimal
    public var inStock: Bool
    public var stockError: String?

    public init(
        _ name: String = "Mug", productID: String? = nil, quantity: Int = 2, price: Decimal = 14.5, inStock: Bool = true,
        stockError: String? = nil
    ) {
        self.name = name
        self.productID = productID
        self.quantity = quantity
        self.price = price
        self.inStock = inStock
        self.stockError = stockError
    }
}

extension [CartItem] {
    /// `count` lines named `Product 1` … with quantities 1 … at 9.90.
    public static func numbered(_ count: Int) -> [CartItem] {
        (0..<count).map { CartItem("Product \($0 + 1)", quantity: $0 + 1, price: Decimal(990) / 100) }
    }
}
