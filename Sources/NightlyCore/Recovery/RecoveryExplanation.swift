import Foundation

/// Why a cart gets (or got) which recovery message, for support (`checkout-nightly explain --cart ID`): each fact
/// the rules read, each rule in order with its verdict, the decision, the next stage and the messages already
/// recorded. Personal data is masked: the recipient's address, the codes.
public struct RecoveryExplanation: Codable, Sendable, Equatable {
    /// One named value as printed: a fact (`status`: `active, is_active true`), or a rule and its verdict
    /// (`cooldown`: `passes`, or the count it would add, such as `suppressed_customer_cooldown`).
    public struct Line: Codable, Sendable, Equatable {
        public var name: String
        public var value: String
    }

    /// A stage and when it falls due.
    public struct NextStage: Codable, Sendable, Equatable {
        public var stage: String
        public var at: String
    }

    /// One recorded message, or one held-out row (the stage recorded without a message).
    public struct Message: Codable, Sendable, Equatable {
        public var stage: String
        /// Masked; empty for a held-out row.
        public var recipient: String
        public var sentAt: String
        /// `issued`, `redeemed` or `expired`; nil for push (no code).
        public var codeState: String?
        public var clicked: Bool
        public var converted: Bool
        /// The customer is in the holdout: nothing was sent.
        public var heldOut: Bool

        /// A message sent on `channel`, or a held-out row when `channel` is nil.
        public init(
            stage: String, channel: RecoveryChannel?, recipient: String, sentAt: Date, codeState: String?,
            clicked: Bool, converted: Bool
        ) {
            self.stage = stage
            self.recipient = channel.map { EmailReviewPage.Message.displayedRecipient(recipient, channel: $0) } ?? ""
            self.sentAt = ISO8601Timestamp.format(sentAt)
            self.codeState = codeState
            self.clicked = clicked
            self.converted = converted
            heldOut = channel == nil
        }
    }

    /// What keeps a cart out of recovery altogether (the candidates query's conditions).
    public struct Eligibility: Sendable, Equatable {
        public var status: String
        public var isActive: Bool
        public var hasOrder: Bool
        public var expired: Bool
        public var lines: Int
        public var linesInStock: Int
        /// The cart's columns the candidates query compares that are NULL (`updated_at`, `expires_at`): the pass
        /// passes over such a cart without a word, so `explain` names them.
        public var nullColumns: [String]
        /// Why the pass cannot read the cart's row or one of its lines (a NULL or a wrong type where a value is
        /// needed): it skips the cart and counts it as `skipped_malformed`. Nil when both read.
        public var unreadable: String?

        public init(
            status: String, isActive: Bool, hasOrder: Bool, expired: Bool, lines: Int, linesInStock: Int,
            nullColumns: [String] = [], unreadable: String? = nil
        ) {
            self.status = status
            self.isActive = isActive
            self.hasOrder = hasOrder
            self.expired = expired
            self.lines = lines
            self.linesInStock = linesInStock
            self.nullColumns = nullColumns
            self.unreadable = unreadable
        }

        /// Why the pass does not consider the cart, or nil when it does.
        var exclusion: String? {
            if status != "active" || !isActive { return "the cart is \(status)\(isActive ? "" : " and not active")" }
            if hasOrder { return "the cart has an order" }
            if expired { return "the cart has expired" }
            if lines == 0 { return "the cart has no items" }
            if !nullColumns.isEmpty {
                return "the cart's \(nullColumns.joined(separator: " and ")) is NULL, so the pass cannot tell when it was last active or expires"
            }
            if let unreadable { return "skipped_malformed: the pass cannot read the cart or one of its lines (\(unreadable))" }
            return nil
        }
    }

    public var cart: String
    public var now: String
    public var facts: [Line]
    public var rules: [Line]
    /// `send first_email`, `waiting`, `abandon`, a count name such as `suppressed_ordered_since`, or why the cart is
    /// not considered at all.
    public var decision: String
    public var next: NextStage?
    public var messages: [Message]

    /// Explains `cartID` at `now`. `cart` is the cart as the pass reads it, nil when it is not a candidate (see
    /// `eligibility`).
    public init(
        cartID: UUID, now: Date, eligibility: Eligibility, cart: RecoveryCart?, planner: RecoveryPlanner,
        messages: [Message]
    ) {
        self.cart = cartID.uuidString.lowercased()
        self.now = ISO8601Timestamp.format(now)
        self.messages = messages
        var facts = [
            Line(name: "status", value: "\(eligibility.status), is_active \(eligibility.isActive)"),
            Line(name: "order from this cart", value: eligibility.hasOrder ? "yes" : "no"),
            Line(name: "expired", value: eligibility.expired ? "yes" : "no"),
            Line(name: "lines", value: "\(eligibility.lines), \(eligibility.linesInStock) in stock"),
        ]
        guard let cart, eligibility.exclusion == nil else {
            self.facts = facts
            rules = []
            decision = "not considered: " + (eligibility.exclusion ?? "the cart has not been idle long enough")
            next = nil
            return
        }
        facts += Self.facts(of: cart, now: now, planner: planner)
        self.facts = facts
        let trace = planner.trace(cart, now: now)
        let heldOut = cart.customer.map { planner.holdout?.holdsOut($0.id) == true } ?? false
        rules = trace.verdicts.map { rule, verdict in
            // The holdout decides only when a stage is due; a held-out customer's cart says so meanwhile.
            let passes = rule == .holdout && heldOut ? "held out once a stage is due" : "passes"
            return Line(name: rule.rawValue, value: verdict.map(Self.name(of:)) ?? passes)
        }
        decision = Self.name(of: trace.decision)
        next = planner.nextStage(cart, now: now).map { NextStage(stage: $0.stage.rawValue, at: ISO8601Timestamp.format($0.at)) }
    }

    private static func facts(of cart: RecoveryCart, now: Date, planner: RecoveryPlanner) -> [Line] {
        let idleHours = String(format: "%.1f h", now.timeIntervalSince(cart.lastActivity) / 3600)
        var facts = [
            Line(name: "last activity", value: "\(ISO8601Timestamp.format(cart.lastActivity)) (idle \(idleHours))"),
            Line(name: "in stock", value: "\(cart.itemCount) pieces worth \(cart.value) \(cart.currency)"),
            Line(name: "stages recorded", value: cart.sentStages.sorted().map(\.rawValue).joined(separator: ", ").ifEmpty("none")),
            Line(name: "ordered since last activity", value: cart.orderedSince ? "yes" : "no"),
        ]
        guard let customer = cart.customer else { return facts + [Line(name: "customer", value: "none (guest cart)")] }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = customer.timeZone
        let local = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: now)
        let localTime = String(
            format: "%04d-%02d-%02d %02d:%02d", local.year ?? 0, local.month ?? 0, local.day ?? 0, local.hour ?? 0,
            local.minute ?? 0)
        facts += [
            Line(name: "customer", value: "\(EmailMask.mask(customer.email)), locale \(customer.locale.ifEmpty("none"))"),
            Line(name: "marketing consent", value: customer.marketingOptIn ? "yes" : "no"),
            Line(name: "unsubscribed", value: customer.unsubscribed ? "yes" : "no"),
            Line(name: "e-mail bounced", value: customer.bounced ? "yes" : "no"),
            Line(name: "push enabled", value: customer.pushEnabled ? "yes" : "no"),
            Line(name: "time zone", value: "\(customer.timeZone.identifier), local time \(localTime)"),
            Line(name: "quiet hours", value: planner.settings.quietHours.map(Self.window) ?? "off"),
            Line(name: "last message to the customer", value: customer.lastMessageAt.map(ISO8601Timestamp.format) ?? "none"),
            Line(name: "holdout", value: Self.holdout(of: customer, planner.holdout)),
        ]
        return facts
    }

    /// Whether the customer is held out, with the bucket that decides it.
    private static func holdout(of customer: RecoveryCustomer, _ holdout: RecoveryHoldout?) -> String {
        guard let holdout, holdout.percent > 0 else { return "off" }
        let bucket = holdout.bucket(of: customer.id)
        return holdout.holdsOut(customer.id)
            ? "held out (bucket \(bucket) is below \(holdout.percent) %): no messages, their stages are recorded"
            : "not held out (bucket \(bucket) of 100; the holdout is buckets below \(holdout.percent))"
    }

    private static func window(_ quiet: QuietHours) -> String {
        String(format: "%02d:%02d-%02d:%02d", quiet.start / 60, quiet.start % 60, quiet.end / 60, quiet.end % 60)
    }

    /// A decision as the pass counts it.
    static func name(of decision: RecoveryDecision) -> String {
        switch decision {
        case .wait: "waiting"
        case .send(let stage): "send \(stage.rawValue)"
        case .suppress(let reason): "suppressed_\(reason.rawValue)"
        case .abandon: "abandon"
        case .hold(.tooLate): "skipped_too_late"
        case .hold(.quietHours): "waiting_quiet_hours"
        case .holdOut(let stage): "held_out at \(stage.rawValue)"
        }
    }

    /// The explanation as lines for a terminal.
    public var text: String {
        var lines = ["cart \(cart) at \(now)", "", "facts:"]
        let width = facts.map(\.name.count).max() ?? 0
        lines += facts.map { "  \($0.name.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.value)" }
        if !rules.isEmpty {
            lines += ["", "rules, in order:"]
            lines += rules.enumerated().map { "  \($0.offset + 1). \($0.element.name): \($0.element.value)" }
        }
        lines += ["", "decision: \(decision)"]
        if let next { lines.append("next: \(next.stage) at \(next.at)") }
        lines += ["", messages.isEmpty ? "messages: none" : "messages:"]
        lines += messages.map { message in
            "  \(message.sentAt)  \(message.stage)  "
                + (message.heldOut ? "held out, nothing sent" : "to \(message.recipient)")
                + (message.codeState.map { "  code \($0)" } ?? "")
                + (message.clicked ? "  clicked" : "") + (message.converted ? "  converted" : "")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
