import Foundation
import NightlyCore
import Postgres
import Rendering

/// The points of the send transaction, in order, after which a test can make the pass fail: a stand-in for the
/// batch being killed there. `committed` is after the commit, before the run writes any file.
public enum RecoverySendStep: String, CaseIterable, Sendable {
    case lockedCart = "locked_cart"
    case lockedCustomer = "locked_customer"
    case readCart = "read_cart"
    case insertedCode = "inserted_code"
    case insertedMessage = "inserted_message"
    case insertedOutbox = "inserted_outbox"
    case committed
}

/// Sends one planned recovery message in one transaction: claim the cart (SKIP LOCKED), lock the customer,
/// re-read the live cart, order, consent and bounce state and decide again, issue the code, render, record the
/// ledger row and the outbox row, commit. A failure anywhere rolls everything back; the unique constraints turn a
/// message another copy already recorded into "not sent". In a dry run nothing is locked or written.
struct RecoverySender {
    /// What became of one planned message.
    enum Outcome {
        case sent(RecoveryRendering, customerID: UUID, codeCollisions: Int)
        case notSent(RecoveryNotSent)
    }

    /// The ledger row for the stage exists already: another copy recorded it first.
    private struct AlreadyRecorded: Error {}

    let context: StepContext
    let planner: RecoveryPlanner
    let templates: RecoveryTemplates
    let formatting: LocalizedFormatting
    let afterStep: (@Sendable (RecoverySendStep) throws -> Void)?

    private var settings: RecoverySettings { context.settings.recovery }
    private var record: Bool { !context.settings.dryRun }

    /// Sends the message due for `cartID`, if one still is. `messagedThisRun` holds the customers this run has
    /// messaged (the database knows them too, except in a dry run).
    func send<Generator: RandomNumberGenerator>(
        cartID: UUID, messagedThisRun: Set<UUID>, generator: inout Generator
    ) throws -> Outcome {
        guard record else {
            return try prepare(cartID, context.connection, messagedThisRun: messagedThisRun, generator: &generator)
        }
        do {
            let outcome = try context.connection.transaction { connection in
                try prepare(cartID, connection, messagedThisRun: messagedThisRun, generator: &generator)
            }
            if case .sent = outcome { try afterStep?(.committed) }
            return outcome
        } catch is AlreadyRecorded {
            return .notSent(.alreadySent)
        } catch let error as PostgresError where error.sqlState == "55P03" {
            // lock_timeout: the storefront held the customer longer than the pass waits; the next run tries again.
            return .notSent(.locked)
        } catch let error as PostgresError where error.kind == .decoding {
            // A NULL or a value of the wrong type in this cart's rows: rolled back, counted, the pass goes on.
            return .notSent(.malformed)
        }
    }

    private func prepare<Generator: RandomNumberGenerator>(
        _ cartID: UUID, _ connection: Connection, messagedThisRun: Set<UUID>, generator: inout Generator
    ) throws -> Outcome {
        let queries = context.queries
        if record {
            // nil: another transaction holds the cart; .some(nil): a guest cart.
            let claimed: UUID?? = try connection.queryFirst(try queries.statement("recovery/lock_cart.sql"), [cartID]) {
                try $0.decodeIfPresent("customer_id", as: UUID.self)
            }
            guard let claimed else { return .notSent(.locked) }
            try afterStep?(.lockedCart)
            if let customerID = claimed {
                try connection.execute(try queries.statement("recovery/lock_customer.sql"), [customerID])
                try afterStep?(.lockedCustomer)
            }
        }
        // Read after the locks: a concurrent send to this customer has committed by now and counts for the cap.
        guard var cart = try RecoveryCandidates.read(context, connection, cartID: cartID) else {
            return .notSent(.changed)
        }
        if let customerID = cart.customer?.id, messagedThisRun.contains(customerID) {
            cart.customer?.lastMessageAt = context.now
        }
        let stage: RecoveryStage
        switch planner.decide(cart, now: context.now) {
        case .send(let due): stage = due
        case .suppress(let reason): return .notSent(.suppressed(reason))
        case .wait, .abandon, .hold: return .notSent(.changed)
        }
        guard let customer = cart.customer else { return .notSent(.suppressed(.guest)) }
        let lines = try connection.query(try queries.statement("recovery/cart_lines.sql"), [cartID]) { row in
            RecoveryLine(
                name: try row.decode("product_name"), quantity: try row.decode("quantity"),
                unitPrice: try row.decode("unit_price"), imageURL: try row.decodeIfPresent("image_url"),
                available: try row.decode("available"))
        }
        if record { try afterStep?(.readCart) }

        let expiresAt = context.now.addingTimeInterval(settings.codeValidity)
        let percent = settings.percent(of: stage)
        var code: String?
        var collisions = 0
        if let percent {
            code = try issueCode(
                percent: percent, customer: customer.id, cart: cartID, expiresAt: expiresAt, connection,
                collisions: &collisions, generator: &generator)
            if record { try afterStep?(.insertedCode) }
        }
        let message = RecoveryMessage(
            id: UUID(), stage: stage, locale: MessageLocale.resolve(customer.locale, available: templates.locales),
            recipient: stage.channel == .push ? customer.id.uuidString.lowercased() : customer.email,
            firstName: customer.firstName, currency: cart.currency, lines: lines, code: code, percent: percent,
            createdAt: context.now, expiresAt: expiresAt, token: LinkToken.generate(using: &generator),
            unsubscribeToken: LinkToken.generate(using: &generator))
        let rendering = try templates.render(message, settings: settings, formatting: formatting)
        if record {
            try recordMessage(rendering, cart: cart, customerID: customer.id, connection)
        }
        return .sent(rendering, customerID: customer.id, codeCollisions: collisions)
    }

    /// Draws codes until one is new; the unique constraint decides. In a dry run the first draw is used.
    private func issueCode<Generator: RandomNumberGenerator>(
        percent: Int, customer: UUID, cart: UUID, expiresAt: Date, _ connection: Connection, collisions: inout Int,
        generator: inout Generator
    ) throws -> String {
        for _ in 0..<5 {
            let code = DiscountCode.generate(using: &generator)
            guard record else { return code }
            let issued = try connection.queryFirst(
                try context.queries.statement("recovery/insert_code.sql"),
                [code, percent, customer, cart, context.now, expiresAt]
            ) { try $0.decode("code", as: String.self) }
            if issued != nil { return code }
            collisions += 1
        }
        throw PlainMessage(
            "five discount codes drawn in a row for cart \(cart.uuidString.lowercased()) already existed; the random number generator is not random")
    }

    private func recordMessage(
        _ rendering: RecoveryRendering, cart: RecoveryCart, customerID: UUID, _ connection: Connection
    ) throws {
        let message = rendering.message
        let recorded = try connection.queryFirst(
            try context.queries.statement("recovery/insert_message.sql"),
            [message.id, cart.id, customerID, message.stage.rawValue, message.stage.channel?.rawValue,
             message.recipient, message.locale, rendering.subject, message.code, message.token,
             message.stage.channel == .email ? message.unsubscribeToken : nil, cart.lastActivity, message.createdAt, message.expiresAt, context.runID]
        ) { _ in true }
        guard recorded == true else { throw AlreadyRecorded() }
        try afterStep?(.insertedMessage)
        let html: String?
        let text: String
        let headers: [String: JSONValue]
        switch rendering.content {
        case .email(let email):
            html = email.html
            text = email.text
            headers = Dictionary(email.message.headers.map { ($0.name, JSONValue.string($0.value)) }) { a, _ in a }
        case .push(let push):
            html = nil
            text = push.body
            headers = ["deep_link": .string(push.link)]
        }
        try connection.execute(
            try context.queries.statement("recovery/insert_outbox.sql"),
            [message.id, message.stage.channel?.rawValue, message.recipient, rendering.subject, html, text,
             JSONText(encoding: .object(headers)), message.createdAt])
        try afterStep?(.insertedOutbox)
    }
}
