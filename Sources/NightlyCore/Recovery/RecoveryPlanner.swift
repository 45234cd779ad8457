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
    /// The message stages already recorded for this cart: sent, or held out (`RecoveryHoldout`).
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
    /// The newest recovery message (or held-out row) of this customer, for any cart.
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
    /// An e-mail stage is due but the customer's address is not an RFC 5321 mailbox (`Mailbox`): no code is
    /// issued and the stage stays unsent.
    case invalidAddress = "invalid_address"
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
    /// The stage is due and would be sent, but the customer is in the holdout: record it without a message.
    case holdOut(RecoveryStage)
}

/// The rules of cart recovery (DESIGN.md §4), as a pure function of a cart's facts and the clock.
public struct RecoveryPlanner: Sendable {
    public let settings: RecoverySettings
    /// Who is held out; nil holds out nobody (the pass and `explain` read the key from the database).
    public let holdout: RecoveryHoldout?

    public init(settings: RecoverySettings, holdout: RecoveryHoldout? = nil) {
        self.settings = settings
        self.holdout = holdout
    }

    /// Decides what happens to `cart` at `now`: the first of `RecoveryRule.allCases` that applies, else the due
    /// stage is sent. Abandonment wins over messages; otherwise only the latest stage still due is sent (a late
    /// run never sends a burst), only to a customer who may be contacted, only while it is due for no longer than
    /// `maxLateness` (a run after an outage does not mail the past), and never in the customer's quiet hours.
    public func decide(_ cart: RecoveryCart, now: Date) -> RecoveryDecision {
        let situation = Situation(cart: cart, now: now, planner: self)
        return RecoveryRule.allCases.lazy.compactMap { self.verdict($0, situation) }.first ?? situation.sendDue
    }

    /// Every rule in order with what it says about `cart` at `now` (nil: it lets the cart through), and the
    /// decision (the first rule's that applies): what `explain` prints.
    public func trace(_ cart: RecoveryCart, now: Date) -> (verdicts: [(RecoveryRule, RecoveryDecision?)], decision: RecoveryDecision) {
        let situation = Situation(cart: cart, now: now, planner: self)
        let verdicts = RecoveryRule.allCases.map { ($0, verdict($0, situation)) }
        return (verdicts, verdicts.lazy.compactMap(\.1).first ?? situation.sendDue)
    }

    /// The stage that becomes due next after `now` if nothing changes (abandonment included), and when.
    public func nextStage(_ cart: RecoveryCart, now: Date) -> (stage: RecoveryStage, at: Date)? {
        let latestSent = cart.sentStages.max()
        return RecoveryStage.allCases.lazy.map { ($0, cart.lastActivity.addingTimeInterval(self.settings.delay(of: $0))) }
            .first { stage, at in
                at > now && latestSent.map { stage > $0 } ?? true
                    && (stage != .push || cart.customer?.pushEnabled == true)
            }
    }

    /// What every rule looks at, computed once per decision.
    private struct Situation {
        let cart: RecoveryCart
        let now: Date
        let idle: TimeInterval
        let stage: RecoveryStage?

        init(cart: RecoveryCart, now: Date, planner: RecoveryPlanner) {
            self.cart = cart
            self.now = now
            idle = now.timeIntervalSince(cart.lastActivity)
            stage = planner.dueStage(of: cart, idle: idle)
        }

        /// Sending the due stage, when no rule stops it (the `stageDue` rule makes sure there is one).
        var sendDue: RecoveryDecision { stage.map(RecoveryDecision.send) ?? .wait }
    }

    /// What `rule` decides, or nil when it lets the cart through.
    private func verdict(_ rule: RecoveryRule, _ situation: Situation) -> RecoveryDecision? {
        let cart = situation.cart
        let customer = cart.customer
        func when(_ applies: Bool, _ decision: RecoveryDecision) -> RecoveryDecision? { applies ? decision : nil }
        switch rule {
        case .abandonment: return when(situation.idle >= settings.abandonAfter, .abandon)
        case .stageDue: return when(situation.stage == nil, .wait)
        case .guest: return when(customer == nil, .suppress(.guest))
        case .orderedSince: return when(cart.orderedSince, .suppress(.orderedSince))
        case .unsubscribed: return when(customer?.unsubscribed == true, .suppress(.unsubscribed))
        case .consent: return when(customer?.marketingOptIn == false, .suppress(.noConsent))
        case .bounced: return when(customer?.bounced == true, .suppress(.bounced))
        case .address:
            let invalid = situation.stage?.channel == .email && customer.map { !Mailbox.isValid($0.email) } == true
            return when(invalid, .suppress(.invalidAddress))
        case .stock: return when(cart.itemCount == 0, .suppress(.outOfStock))
        case .minimum:
            return when(cart.itemCount < settings.minimumItems || cart.value < settings.minimumCartValue, .suppress(.belowMinimum))
        case .cooldown:
            let last = customer?.lastMessageAt
            return when(last.map { situation.now.timeIntervalSince($0) < settings.customerCooldown } ?? false, .suppress(.customerCooldown))
        case .lateness:
            let late = situation.stage.map { situation.idle - settings.delay(of: $0) > settings.maxLateness } ?? false
            return when(late, .hold(.tooLate))
        case .quietHours:
            let quiet = customer.map { settings.quietHours?.contains(situation.now, in: $0.timeZone) == true } ?? false
            return when(quiet, .hold(.quietHours))
        case .holdout:
            guard let stage = situation.stage, let customer, holdout?.holdsOut(customer.id) == true else { return nil }
            return .holdOut(stage)
        }
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
