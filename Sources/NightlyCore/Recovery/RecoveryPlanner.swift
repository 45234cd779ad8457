import Foundation

/// What the recovery pass knows about one cart that is active, has items, has no order and has not expired
/// (the SQL selects only such carts), read once to plan and again inside the transaction that sends.
public struct RecoveryCart: Sendable, Equatable {
    public var id: UUID
    /// The optimistic-lock version read with the cart; the abandonment only applies while it is unchanged.
    public var version: Int
    public var currency: String
    /// The cart's last activity (`updated_at`): every stage is timed from it, so new activity restarts the clock.
    public var lastActivity: Date
    /// The number of pieces in stock in the cart (sum of quantities of the lines without a failed stock check);
    /// 0 when every line is unavailable.
    public var itemCount: Int
    /// The sum of quantity × unit price of the lines in stock, in `currency`: the total the message shows.
    public var value: Decimal
    /// The customer, or nil for a guest cart.
    public var customer: RecoveryCustomer?
    /// The message stages already sent for this cart.
    public var sentStages: Set<RecoveryStage>
    /// The customer placed an order (from any cart) after this cart's last activity.
    public var orderedSince: Bool

    public init(
        id: UUID, version: Int, currency: String, lastActivity: Date, itemCount: Int, value: Decimal,
        customer: RecoveryCustomer?, sentStages: Set<RecoveryStage> = [], orderedSince: Bool = false
    ) {
        self.id = id
        self.version = version
        self.currency = currency
        self.lastActivity = lastActivity
        self.itemCount = itemCount
        self.value = value
        self.customer = customer
        self.sentStages = sentStages
        self.orderedSince = orderedSince
    }
}

/// The customer behind a cart, with what decides whether and how they may be contacted.
public struct RecoveryCustomer: Sendable, Equatable {
    public var id: UUID
    public var email: String
    public var firstName: String
    /// BCP 47, such as `de-DE`.
    public var locale: String
    public var marketingOptIn: Bool
    public var unsubscribed: Bool
    public var bounced: Bool
    public var pushEnabled: Bool
    /// The newest recovery message to this customer, for any cart.
    public var lastMessageAt: Date?
    /// Where the customer lives, for quiet hours (`CustomerTimeZone`).
    public var timeZone: TimeZone

    public init(
        id: UUID, email: String, firstName: String, locale: String, marketingOptIn: Bool, unsubscribed: Bool = false,
        bounced: Bool = false, pushEnabled: Bool = false, lastMessageAt: Date? = nil,
        timeZone: TimeZone = CustomerTimeZone.utc
    ) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.locale = locale
        self.marketingOptIn = marketingOptIn
        self.unsubscribed = unsubscribed
        self.bounced = bounced
        self.pushEnabled = pushEnabled
        self.lastMessageAt = lastMessageAt
        self.timeZone = timeZone
    }
}

/// Why a cart with a due stage gets no message.
public enum RecoverySuppression: String, CaseIterable, Sendable {
    /// A guest cart: counted, never contacted.
    case guest
    case noConsent = "no_consent"
    case unsubscribed
    case bounced
    /// Below the configured minimum cart value or number of items.
    case belowMinimum = "below_minimum"
    /// The customer had a recovery message within the cool-down (one per customer per 24 h by default).
    case customerCooldown = "customer_cooldown"
    /// The customer placed an order, from any cart, after this cart's last activity.
    case orderedSince = "ordered_since"
    /// No line of the cart is in stock: nothing to offer, no code; the cart is looked at again next run.
    case outOfStock = "out_of_stock"
}

/// What the recovery pass does with one cart now.
public enum RecoveryDecision: Sendable, Equatable {
    /// No stage is due (or every due stage is earlier than one already sent).
    case wait
    /// Send this message stage.
    case send(RecoveryStage)
    /// A stage is due but the customer may not be contacted.
    case suppress(RecoverySuppression)
    /// Idle past the abandonment delay: mark the cart abandoned.
    case abandon
    /// A stage is due and the customer may be contacted, but not now; the cart stays eligible.
    case hold(RecoveryHold)
}

/// The rules of cart recovery (DESIGN.md §4), as a pure function of a cart's facts and the clock.
public struct RecoveryPlanner: Sendable {
    public let settings: RecoverySettings

    public init(settings: RecoverySettings) { self.settings = settings }

    /// Decides what happens to `cart` at `now`. Abandonment wins over messages; otherwise only the latest stage
    /// still due is sent (a late run never sends a burst), only to a customer who may be contacted, and only
    /// while it is due for no longer than `maxLateness` (a run after an outage does not mail the past), and never
    /// in the customer's quiet hours.
    public func decide(_ cart: RecoveryCart, now: Date) -> RecoveryDecision {
        let idle = now.timeIntervalSince(cart.lastActivity)
        if idle >= settings.abandonAfter { return .abandon }
        guard let stage = dueStage(of: cart, idle: idle) else { return .wait }
        guard let customer = cart.customer else { return .suppress(.guest) }
        if cart.orderedSince { return .suppress(.orderedSince) }
        if customer.unsubscribed { return .suppress(.unsubscribed) }
        if !customer.marketingOptIn { return .suppress(.noConsent) }
        if customer.bounced { return .suppress(.bounced) }
        if cart.itemCount == 0 { return .suppress(.outOfStock) }
        if cart.itemCount < settings.minimumItems || cart.value < settings.minimumCartValue {
            return .suppress(.belowMinimum)
        }
        if let last = customer.lastMessageAt, now.timeIntervalSince(last) < settings.customerCooldown {
            return .suppress(.customerCooldown)
        }
        if idle - settings.delay(of: stage) > settings.maxLateness { return .hold(.tooLate) }
        if settings.quietHours?.contains(now, in: customer.timeZone) == true { return .hold(.quietHours) }
        return .send(stage)
    }

    /// The latest message stage that is due after `idle` seconds, not sent yet, later than every stage already
    /// sent, and applicable to the cart (push only for customers with push enabled).
    func dueStage(of cart: RecoveryCart, idle: TimeInterval) -> RecoveryStage? {
        let latestSent = cart.sentStages.max()
        return RecoveryStage.messageStages.last { stage in
            idle >= settings.delay(of: stage)
                && latestSent.map { stage > $0 } ?? true
                && (stage != .push || cart.customer?.pushEnabled == true)
        }
    }
}
