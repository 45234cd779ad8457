import Foundation
import NightlyCore
import Postgres
import Rendering

/// The points of a send after which a test can act (the storefront changing the cart) or make the pass fail (a
/// stand-in for the batch being killed there). `planned`: before the send transaction begins; `locked`: after its
/// first round trip (cart and customer locked, state re-read, transaction open); `committed`: after the second
/// (the message recorded and committed), before its review copy is written.
public enum RecoverySendStep: String, CaseIterable, Sendable {
    case planned
    case locked
    case committed
}

/// The secrets of one message, drawn together from the run's one source of randomness.
struct MessageSecrets {
    var code: String?
    var token: String
    var unsubscribeToken: String

    init<Generator: RandomNumberGenerator>(withCode: Bool, using generator: inout Generator) {
        code = withCode ? DiscountCode.generate(using: &generator) : nil
        token = LinkToken.generate(using: &generator)
        unsubscribeToken = LinkToken.generate(using: &generator)
    }
}

/// The statements of a send, read from `queries/recovery/` once per run rather than once per message; each is
/// prepared once per connection.
struct RecoverySendStatements: Sendable {
    /// After `BEGIN`: the transaction's one-cart statements use the indexes whatever the statistics say.
    let indexLookups: SQLStatement
    let claim: SQLStatement
    let reread: SQLStatement
    let lines: SQLStatement
    let record: SQLStatement
    let recordHoldout: SQLStatement

    init(_ queries: QueryLibrary) throws {
        indexLookups = try queries.statement("recovery/index_lookups.sql")
        claim = try queries.statement("recovery/claim.sql").prepared
        reread = try queries.statement("recovery/reread.sql").prepared
        lines = try queries.statement("recovery/cart_lines.sql").prepared
        record = try queries.statement("recovery/record.sql").prepared
        recordHoldout = try queries.statement("recovery/record_holdout.sql").prepared
    }
}

/// Sends one planned recovery message in one transaction of two round trips (libpq pipelines, statements
/// prepared once per connection):
/// 1. `BEGIN` (and `index_lookups.sql`), claim the cart and lock its customer (`claim.sql`), re-read the live cart, customer, consent,
///    bounce and order state (`reread.sql`) and its lines (`cart_lines.sql`);
/// 2. after deciding again and rendering: record the ledger row, code and outbox row in one statement
///    (`record.sql`) and `COMMIT`. A customer in the holdout gets, in the same place, the held-out row
///    (`record_holdout.sql`) instead, and nothing is rendered.
/// A failure anywhere rolls everything back; the unique constraints turn a message another copy already recorded
/// into "not sent". In a dry run nothing is locked or written (one round trip: the re-read).
struct RecoverySender {
    /// What became of one planned message.
    enum Outcome {
        case sent(RecoveryRendering, customerID: UUID, codeCollisions: Int)
        /// The customer is in the holdout: the stage was recorded without a message.
        case heldOut(RecoveryStage, customerID: UUID)
        case notSent(RecoveryNotSent)
    }

    /// What the re-read under lock decided.
    private enum Decision {
        case send(RecoveryCart, RecoveryCustomer, RecoveryStage)
        case holdOut(RecoveryCart, RecoveryCustomer, RecoveryStage)
        case skip(RecoveryNotSent)
    }

    /// How many codes in a row may already exist before the generator is taken for broken.
    static let maxCodeDraws = 5

    let connection: Connection
    let statements: RecoverySendStatements
    let settings: Settings
    let now: Date
    let runID: UUID
    let planner: RecoveryPlanner
    let templates: RecoveryTemplates
    let formatting: LocalizedFormatting
    let afterStep: (@Sendable (RecoverySendStep) throws -> Void)?

    private var record: Bool { !settings.dryRun }

    /// Sends the message due for `cartID`, if one still is. `messagedThisRun` tells whether this run has messaged
    /// the customer already (the database knows it too, except in a dry run).
    func send(cartID: UUID, messagedThisRun: (UUID) -> Bool, draw: (_ withCode: Bool) -> MessageSecrets) throws -> Outcome {
        var collisions = 0
        while true {
            do {
                let outcome = try attempt(cartID, messagedThisRun: messagedThisRun, draw: draw)
                if case .sent(let rendering, let customer, _) = outcome {
                    return .sent(rendering, customerID: customer, codeCollisions: collisions)
                }
                return outcome
            } catch let error as PostgresError where error.sqlState == .uniqueViolation && error.source?.hasSuffix("record.sql") == true {
                // The drawn code exists already (the only unique key record.sql can hit): draw again.
                collisions += 1
                guard collisions < Self.maxCodeDraws else {
                    throw PlainMessage(
                        "\(Self.maxCodeDraws) discount codes drawn in a row for cart \(cartID.uuidString.lowercased()) already existed; the random number generator is not random")
                }
            } catch let error as PostgresError where error.sqlState == .lockNotAvailable {
                // lock_timeout: another copy held the customer longer than the pass waits; the next run tries again.
                return .notSent(.locked)
            } catch let error as PostgresError where error.kind == .decoding {
                // A NULL or a value of the wrong type in this cart's rows: counted, the pass goes on.
                return .notSent(.malformed)
            }
        }
    }

    /// One try: both round trips. Any error leaves no transaction open.
    private func attempt(
        _ cartID: UUID, messagedThisRun: (UUID) -> Bool, draw: (_ withCode: Bool) -> MessageSecrets
    ) throws -> Outcome {
        let readParameters: [any PostgresEncodable] = [now, settings.recovery.firstEmailAfter, cartID]
        try afterStep?(.planned)
        var claimIndex: Int?
        var readIndex = 0
        var linesIndex = 0
        let first = try rollingBackOnError {
            try connection.pipeline { batch in
                if record {
                    batch.query(SQLStatement("BEGIN", source: "recovery send"))
                    batch.query(statements.indexLookups)
                    claimIndex = batch.query(statements.claim, [cartID])
                }
                readIndex = batch.query(statements.reread, readParameters)
                linesIndex = batch.query(statements.lines, [cartID])
            }
        }
        let decision = try rollingBackOnError { () throws -> Decision in
            if let error = first.lazy.compactMap({ $0.error }).first { throw error }
            if let claimIndex, try first[claimIndex].firstRow({ _ in true }) == nil { return .skip(.locked) }
            try afterStep?(.locked)
            guard var cart = try first[readIndex].firstRow({
                try RecoveryCandidates.cart(from: $0, regionZones: settings.recovery.regionTimeZones)
            }) else { return .skip(.changed) }
            if let customerID = cart.customer?.id, messagedThisRun(customerID) { cart.customer?.lastMessageAt = now }
            switch planner.decide(cart, now: now) {
            case .send(let stage):
                guard let customer = cart.customer else { return .skip(.suppressed(.guest)) }
                return .send(cart, customer, stage)
            case .holdOut(let stage):
                guard let customer = cart.customer else { return .skip(.suppressed(.guest)) }
                return .holdOut(cart, customer, stage)
            case .suppress(let reason): return .skip(.suppressed(reason))
            case .wait, .abandon, .hold: return .skip(.changed)
            }
        }
        if case .holdOut(let cart, let customer, let stage) = decision {
            return try recordHoldout(stage, cart: cart, customer: customer)
        }
        guard case .send(let cart, let customer, let stage) = decision else {
            if record { try connection.execute(SQLStatement("ROLLBACK", source: "recovery send")) }
            if case .skip(let reason) = decision { return .notSent(reason) }
            return .notSent(.changed)
        }
        let rendering = try rollingBackOnError {
            try render(
                stage: stage, cart: cart, customer: customer,
                lines: try first[linesIndex].rows(RecoveryCandidates.line(from:)), draw: draw)
        }
        guard record else { return .sent(rendering, customerID: customer.id, codeCollisions: 0) }
        let recorded = try recordAndCommit(
            statements.record, recordParameters(rendering, cart: cart, customer: customer), counted: "messages")
        guard recorded == 1 else { return .notSent(.alreadySent) }
        try afterStep?(.committed)
        return .sent(rendering, customerID: customer.id, codeCollisions: 0)
    }

    /// Records the held-out stage of a customer in the holdout and commits (in a dry run: nothing).
    private func recordHoldout(_ stage: RecoveryStage, cart: RecoveryCart, customer: RecoveryCustomer) throws -> Outcome {
        guard record else { return .heldOut(stage, customerID: customer.id) }
        let recorded = try recordAndCommit(
            statements.recordHoldout,
            [UUID(), cart.id, customer.id, stage.rawValue, cart.currency, cart.lastActivity, now, runID],
            counted: "held_out")
        guard recorded == 1 else { return .notSent(.alreadySent) }
        try afterStep?(.committed)
        return .heldOut(stage, customerID: customer.id)
    }

    /// The second round trip: runs the recording `statement` and `COMMIT`; returns the statement's count
    /// `counted` (0 when another copy recorded the stage first).
    private func recordAndCommit(
        _ statement: SQLStatement, _ parameters: [any PostgresEncodable], counted: String
    ) throws -> Int? {
        let second = try rollingBackOnError {
            try connection.pipeline { batch in
                batch.query(statement, parameters)
                batch.query(SQLStatement("COMMIT", source: "recovery send"))
            }
        }
        if let error = second.lazy.compactMap({ $0.error }).first {
            try connection.execute(SQLStatement("ROLLBACK", source: "recovery send"))
            throw error
        }
        return try second[0].firstRow { try $0.decode(counted, as: Int.self) }
    }

    /// Runs `body`; when it throws inside the send transaction, rolls the transaction back first.
    private func rollingBackOnError<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            if connection.isInTransaction { _ = try? connection.execute(SQLStatement("ROLLBACK", source: "recovery send")) }
            throw error
        }
    }

    /// The message for `stage` with a fresh code (e-mail stages) and tokens, rendered.
    private func render(
        stage: RecoveryStage, cart: RecoveryCart, customer: RecoveryCustomer, lines: [RecoveryLine],
        draw: (_ withCode: Bool) -> MessageSecrets
    ) throws -> RecoveryRendering {
        let percent = settings.recovery.percent(of: stage)
        let secrets = draw(percent != nil)
        let message = RecoveryMessage(
            id: UUID(), stage: stage, locale: MessageLocale.resolve(customer.locale, available: templates.locales),
            recipient: stage.channel == .push ? customer.id.uuidString.lowercased() : try Mailbox(parsing: customer.email).address,
            firstName: customer.firstName, currency: cart.currency, lines: lines,
            code: secrets.code, percent: percent, createdAt: now,
            expiresAt: now.addingTimeInterval(settings.recovery.codeValidity), timeZone: customer.timeZone,
            token: secrets.token, unsubscribeToken: secrets.unsubscribeToken)
        return try templates.render(message, settings: settings.recovery, formatting: formatting)
    }

    /// The values `record.sql` binds.
    private func recordParameters(
        _ rendering: RecoveryRendering, cart: RecoveryCart, customer: RecoveryCustomer
    ) -> [any PostgresEncodable] {
        let message = rendering.message
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
        return [
            message.id, cart.id, customer.id, message.stage.rawValue, message.stage.channel?.rawValue, message.recipient,
            message.locale, rendering.subject, message.code, message.token,
            message.stage.channel == .email ? message.unsubscribeToken : nil, cart.lastActivity, message.createdAt,
            message.expiresAt, runID, message.percent, html, text, JSONText(encoding: .object(headers)),
        ]
    }
}
