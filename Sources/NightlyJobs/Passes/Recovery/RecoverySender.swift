import Foundation
import NightlyCore
import Postgres
import Rendering

/// The points of a send after which a test can act (the storefront changing a cart) or make the pass fail (a
/// stand-in for the batch being killed there). `planned`: before a send transaction begins; `locked`: after its
/// first round trip (carts and customers locked, state re-read, transaction open); `committed`: after the second
/// (the batch's messages recorded and committed), before their review copies are written.
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

/// Sends the messages of a batch of due carts in one transaction of two round trips (libpq pipelines, statements
/// prepared once per connection):
/// 1. `BEGIN` (and `index_lookups.sql`), claim the carts and lock their customers (`claim.sql`), re-read the live
///    carts, customers, consent, bounce and order state (`reread.sql`) and their lines (`cart_lines.sql`);
/// 2. after deciding each cart again, in the batch's order, and rendering: record the ledger rows, codes and outbox
///    rows in one statement (`record.sql`), the held-out rows of customers in the holdout (`record_holdout.sql`),
///    and `COMMIT`.
/// A failure anywhere rolls the whole batch back: nothing of it is recorded. A failure one cart can cause (a code
/// that exists already, a customer another copy holds past `lock_timeout`, a row that cannot be read) then sends
/// the batch's carts again one transaction each, so it stays with that cart; the unique constraints turn a message
/// another copy already recorded into "not sent". In a dry run nothing is locked or written (one round trip: the
/// re-read).
struct RecoverySender {
    /// What became of one due cart.
    enum Outcome {
        case sent(RecoveryRendering, customerID: UUID)
        /// The customer is in the holdout: the stage was recorded without a message.
        case heldOut(RecoveryStage, customerID: UUID)
        case notSent(RecoveryNotSent)
    }

    /// What became of a batch: an outcome per cart, in the batch's order, and the discount codes drawn that
    /// already existed.
    struct BatchReport {
        var outcomes: [Outcome]
        var codeCollisions = 0
    }

    /// What the re-read under lock decided for one cart.
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

    /// Sends the messages still due for `carts` (distinct carts, longest waiting first). `messagedThisRun` tells
    /// whether this run has messaged a customer already (the database knows it too, except in a dry run).
    func send(
        _ carts: [DueCart], messagedThisRun: (UUID) -> Bool, draw: (_ withCode: Bool) -> MessageSecrets
    ) throws -> BatchReport {
        guard carts.count > 1 else {
            return try carts.first.map { try sendAlone($0.cart, messagedThisRun: messagedThisRun, draw: draw) }
                ?? BatchReport(outcomes: [])
        }
        do {
            return BatchReport(outcomes: try attempt(carts.map(\.cart), messagedThisRun: messagedThisRun, draw: draw))
        } catch let error as PostgresError where Self.isCausedByOneCart(error) {
            var report = BatchReport(outcomes: [], codeCollisions: Self.isCodeCollision(error) ? 1 : 0)
            for cart in carts {
                let alone = try sendAlone(cart.cart, messagedThisRun: messagedThisRun, draw: draw)
                report.outcomes += alone.outcomes
                report.codeCollisions += alone.codeCollisions
            }
            return report
        }
    }

    /// Sends one cart's message in a transaction of its own: a code that exists already is drawn again, a customer
    /// held elsewhere leaves the cart for the next run, a row that cannot be read is counted.
    private func sendAlone(
        _ cartID: UUID, messagedThisRun: (UUID) -> Bool, draw: (_ withCode: Bool) -> MessageSecrets
    ) throws -> BatchReport {
        var collisions = 0
        while true {
            do {
                return BatchReport(outcomes: try attempt([cartID], messagedThisRun: messagedThisRun, draw: draw), codeCollisions: collisions)
            } catch let error as PostgresError where Self.isCodeCollision(error) {
                collisions += 1
                guard collisions < Self.maxCodeDraws else {
                    throw PlainMessage(
                        "\(Self.maxCodeDraws) discount codes drawn in a row for cart \(cartID.uuidString.lowercased()) already existed; the random number generator is not random")
                }
            } catch let error as PostgresError where error.sqlState == .lockNotAvailable {
                // lock_timeout: another copy held the customer longer than the pass waits; the next run tries again.
                return BatchReport(outcomes: [.notSent(.locked)], codeCollisions: collisions)
            } catch let error as PostgresError where error.kind == .decoding {
                // A NULL or a value of the wrong type in this cart's rows: counted, the pass goes on.
                return BatchReport(outcomes: [.notSent(.malformed)], codeCollisions: collisions)
            }
        }
    }

    /// A drawn code that exists already: the only unique key `record.sql` can hit.
    private static func isCodeCollision(_ error: PostgresError) -> Bool {
        error.sqlState == .uniqueViolation && error.source?.hasSuffix("record.sql") == true
    }

    /// A failure that one cart of a batch can cause, and that sending the carts one at a time keeps to that cart.
    private static func isCausedByOneCart(_ error: PostgresError) -> Bool {
        isCodeCollision(error) || error.sqlState == .lockNotAvailable || error.kind == .decoding
    }

    /// One try: both round trips for `cartIDs`. Any error leaves no transaction open and nothing recorded.
    private func attempt(
        _ cartIDs: [UUID], messagedThisRun: (UUID) -> Bool, draw: (_ withCode: Bool) -> MessageSecrets
    ) throws -> [Outcome] {
        try afterStep?(.planned)
        var claimIndex: Int?
        var readIndex = 0
        var linesIndex = 0
        let first = try rollingBackOnError {
            try connection.pipeline { batch in
                if record {
                    batch.query(SQLStatement("BEGIN", source: "recovery send"))
                    batch.query(statements.indexLookups)
                    claimIndex = batch.query(statements.claim, [cartIDs])
                }
                readIndex = batch.query(statements.reread, [now, settings.recovery.firstEmailAfter, cartIDs])
                linesIndex = batch.query(statements.lines, [cartIDs])
            }
        }
        var decisions = try rollingBackOnError { () throws -> [Decision] in
            if let error = first.lazy.compactMap({ $0.error }).first { throw error }
            let claimed = try claimIndex.map { Set(try first[$0].rows { try $0.decode("id", as: UUID.self) }) }
            try afterStep?(.locked)
            var decoder = RecoveryCartDecoder(regionZones: settings.recovery.regionTimeZones)
            var carts: [UUID: RecoveryCart] = [:]
            for cart in try first[readIndex].rows({ try decoder.cart(from: $0) }) { carts[cart.id] = cart }
            var messagedInBatch: Set<UUID> = []
            return cartIDs.map { cartID in
                if let claimed, !claimed.contains(cartID) { return .skip(.locked) }
                guard var cart = carts[cartID] else { return .skip(.changed) }
                if let customerID = cart.customer?.id, messagedInBatch.contains(customerID) || messagedThisRun(customerID) {
                    cart.customer?.lastMessageAt = now
                }
                let decision = decide(cart)
                switch decision {
                case .send(_, let customer, _), .holdOut(_, let customer, _): messagedInBatch.insert(customer.id)
                case .skip: break
                }
                return decision
            }
        }
        var lines: [UUID: [RecoveryLine]] = [:]
        var renderings: [UUID: RecoveryRendering] = [:]
        try rollingBackOnError {
            for (cartID, line) in try first[linesIndex].rows({
                (try $0.decode("cart_id", as: UUID.self), try RecoveryCandidates.line(from: $0))
            }) { lines[cartID, default: []].append(line) }
            for case .send(let cart, let customer, let stage) in decisions {
                renderings[cart.id] = try render(stage: stage, cart: cart, customer: customer, lines: lines[cart.id] ?? [], draw: draw)
            }
        }
        if record {
            let recorded = try recordAndCommit(decisions, renderings)
            for index in decisions.indices {
                switch decisions[index] {
                case .send(let cart, _, _), .holdOut(let cart, _, _):
                    if !recorded.contains(cart.id) { decisions[index] = .skip(.alreadySent) }
                case .skip: break
                }
            }
        }
        return decisions.map { decision in
            switch decision {
            case .send(let cart, let customer, _): .sent(renderings[cart.id]!, customerID: customer.id)
            case .holdOut(_, let customer, let stage): .heldOut(stage, customerID: customer.id)
            case .skip(let reason): .notSent(reason)
            }
        }
    }

    /// The planner's verdict on `cart` as re-read under lock.
    private func decide(_ cart: RecoveryCart) -> Decision {
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

    /// The second round trip: records the batch's messages and held-out rows and commits (or, with nothing to
    /// record, rolls back). Returns the carts recorded: one another copy recorded first is missing.
    private func recordAndCommit(_ decisions: [Decision], _ renderings: [UUID: RecoveryRendering]) throws -> Set<UUID> {
        var messages: [(RecoveryRendering, RecoveryCart, RecoveryCustomer)] = []
        var heldOut: [(RecoveryStage, RecoveryCart, RecoveryCustomer)] = []
        for decision in decisions {
            switch decision {
            case .send(let cart, let customer, _): messages.append((renderings[cart.id]!, cart, customer))
            case .holdOut(let cart, let customer, let stage): heldOut.append((stage, cart, customer))
            case .skip: break
            }
        }
        guard !messages.isEmpty || !heldOut.isEmpty else {
            try connection.execute(SQLStatement("ROLLBACK", source: "recovery send"))
            return []
        }
        var recordIndices: [Int] = []
        let second = try rollingBackOnError {
            try connection.pipeline { batch in
                if !messages.isEmpty { recordIndices.append(batch.query(statements.record, recordParameters(messages))) }
                if !heldOut.isEmpty {
                    recordIndices.append(batch.query(statements.recordHoldout, [
                        heldOut.map { _ in UUID() }, heldOut.map(\.1.id), heldOut.map(\.2.id), heldOut.map(\.0.rawValue),
                        heldOut.map(\.1.currency), heldOut.map(\.1.lastActivity), now, runID,
                    ]))
                }
                batch.query(SQLStatement("COMMIT", source: "recovery send"))
            }
        }
        if let error = second.lazy.compactMap({ $0.error }).first {
            try connection.execute(SQLStatement("ROLLBACK", source: "recovery send"))
            throw error
        }
        var recorded: Set<UUID> = []
        for index in recordIndices {
            recorded.formUnion(try second[index].rows { try $0.decode("cart_id", as: UUID.self) })
        }
        try afterStep?(.committed)
        return recorded
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

    /// The arrays `record.sql` binds, one element per message.
    private func recordParameters(_ messages: [(RecoveryRendering, RecoveryCart, RecoveryCustomer)]) -> [any PostgresEncodable] {
        var html: [String?] = [], text: [String] = [], headers: [JSONText] = []
        for (rendering, _, _) in messages {
            switch rendering.content {
            case .email(let email):
                html.append(email.html)
                text.append(email.text)
                headers.append(JSONText(encoding: .object(Dictionary(
                    email.message.headers.map { ($0.name, JSONValue.string($0.value)) }) { first, _ in first })))
            case .push(let push):
                html.append(nil)
                text.append(push.body)
                headers.append(JSONText(encoding: .object(["deep_link": .string(push.link)])))
            }
        }
        let sent = messages.map(\.0.message)
        return [
            sent.map(\.id), messages.map(\.1.id), messages.map(\.2.id), sent.map(\.stage.rawValue),
            sent.map(\.stage.channel?.rawValue), sent.map(\.recipient), sent.map(\.locale), messages.map(\.0.subject),
            sent.map(\.code), sent.map(\.token), sent.map { $0.stage.channel == .email ? $0.unsubscribeToken : nil },
            messages.map(\.1.lastActivity), sent.map(\.createdAt), sent.map(\.expiresAt), sent.map(\.percent),
            html, text, headers, runID,
        ]
    }
}
