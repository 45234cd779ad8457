import Foundation
import NightlyCore
import Postgres
import Rendering

/// The cart recovery pass (plan task 2.1, DESIGN.md §4): e-mails with discount codes, push messages and
/// abandonment, each stage at most once per cart, recorded exactly once through the outbox; then attribution,
/// the review pages and the rendered messages. See docs/recovery.md.
public struct RecoveryPass: NightlyStep {
    public let name = StepName.recovery
    public let kind = StepKind.pass
    public let contract = [
        "customers": ["id", "email", "first_name", "locale", "marketing_opt_in", "unsubscribed_at",
                      "email_bounced_at", "push_enabled"],
        "cart_sessions": ["id", "customer_id", "status", "is_active", "order_id", "currency", "version",
                          "updated_at", "expires_at"],
        "cart_items": ["cart_session_id", "product_name", "image_url", "quantity", "unit_price", "in_stock", "stock_error"],
        "orders": ["id", "customer_id", "cart_session_id", "discount_code", "total_amount", "currency", "created_at"],
    ]
    public let pages = [
        StepPage("emails", title: "Recovery e-mails"), StepPage("email-gallery", title: "E-mail template gallery"),
    ]
    public let settingsGroups: [any SettingsGroup.Type] = [RecoverySettings.self]

    /// Called after each step of every send transaction; tests throw from it to stand in for a kill there.
    let afterSendStep: (@Sendable (RecoverySendStep) throws -> Void)?
    /// Makes the run's source of codes and tokens: the system CSPRNG unless a test injects a seeded one.
    let makeGenerator: @Sendable () -> any RandomNumberGenerator
    /// How many due carts one send transaction takes at most (docs/performance.md: larger batches save the
    /// database's work per message; the carts stay locked while the batch renders).
    let sendBatchSize: Int

    /// How many carts one abandonment transaction changes at most.
    static let abandonBatchSize = 500

    public init(
        afterSendStep: (@Sendable (RecoverySendStep) throws -> Void)? = nil,
        makeGenerator: @escaping @Sendable () -> any RandomNumberGenerator = { SystemRandomNumberGenerator() },
        sendBatchSize: Int = 32
    ) {
        precondition(sendBatchSize > 0, "a send batch holds at least one cart")
        self.afterSendStep = afterSendStep
        self.makeGenerator = makeGenerator
        self.sendBatchSize = sendBatchSize
    }

    public func run(_ context: StepContext) async throws -> StepResult<RecoveryCounts> {
        let settings = context.settings.recovery
        let formatting = LocalizedFormatting()
        // Every template in every locale is rendered before anything is read or recorded: a broken or missing
        // template stops the pass here, naming the file.
        let templates = try RecoveryTemplates(templates: context.templates)
        let gallery = try templates.gallery(settings: settings, now: context.now, formatting: formatting)

        var counts = RecoveryCounts()
        let planner = RecoveryPlanner(
            settings: settings,
            holdout: try RecoveryHoldoutReader.read(context.queries, context.connection, percent: settings.holdoutPercent))
        var due: [DueCart] = []
        var abandon: [(id: UUID, version: Int)] = []
        try RecoveryCandidates.each(context) { read in
            counts.candidates += 1
            guard case .success(let cart) = read else {
                counts.skippedMalformed += 1
                return
            }
            switch planner.decide(cart, now: context.now) {
            case .wait: counts.waiting += 1
            case .suppress(let reason): counts.countSuppressed(reason)
            case .hold(let reason): counts.countHeld(reason)
            case .send, .holdOut: due.append(DueCart(cart: cart.id, customer: cart.customer?.id))
            case .abandon: abandon.append((cart.id, cart.version))
            }
        }

        let review = try ReviewCopies(context)
        try await send(due, context: context, planner: planner, templates: templates, review: review, counts: &counts)
        try markAbandoned(abandon, context: context, counts: &counts)

        if !context.settings.dryRun {
            try context.connection.execute(
                try context.queries.statement("recovery/attribute.sql"), [context.now, settings.attributionWindow])
        }
        context.metrics.add(try RecoverySnapshotReader.read(context).metricFamilies, for: name)
        try review.finish(gallery: gallery)
        return StepResult(counts: counts)
    }

    /// How many connections send at once: while one worker renders a message, the other waits for the database,
    /// so both cores work.
    static let sendWorkers = 2

    /// Sends the due messages, a batch of carts per transaction, up to the per-run cap, writing each one's review
    /// copy.
    private func send(
        _ due: [DueCart], context: StepContext, planner: RecoveryPlanner, templates: RecoveryTemplates,
        review: ReviewCopies, counts: inout RecoveryCounts
    ) async throws {
        let queue = RecoverySendQueue(
            due: due, cap: context.settings.recovery.maxMessagesPerRun, counts: counts, review: review,
            generator: makeGenerator(), context: context)
        defer { context.progress.finish() }
        var connections = [context.connection]
        for _ in 1..<Self.sendWorkers where due.count > 1 { connections.append(try context.extraConnection()) }
        let statements = try RecoverySendStatements(context.queries)
        // Each worker renders with formatters of its own: `LocalizedFormatting` caches them unlocked, and the
        // workers render at the same time: a shared one has two threads inserting into its dictionaries at once.
        let workers = connections.map { connection in
            RecoverySendWorker(
                sender: RecoverySender(
                    connection: connection, statements: statements, settings: context.settings, now: context.now,
                    runID: context.runID, planner: planner, templates: templates, formatting: LocalizedFormatting(),
                    afterStep: afterSendStep),
                queue: queue, batchSize: sendBatchSize)
        }
        await withTaskGroup(of: Void.self) { group in
            for worker in workers { group.addTask { worker.run() } }
        }
        counts = queue.counts
        if let failure = queue.failure { throw failure }
    }

    /// Marks carts idle past the abandonment delay as abandoned, version-checked, in bounded transactions.
    private func markAbandoned(
        _ carts: [(id: UUID, version: Int)], context: StepContext, counts: inout RecoveryCounts
    ) throws {
        guard !context.settings.dryRun else {
            counts.abandoned = carts.count
            return
        }
        let statement = try context.queries.statement("recovery/abandon.sql")
        for start in stride(from: 0, to: carts.count, by: Self.abandonBatchSize) {
            let batch = carts[start..<min(carts.count, start + Self.abandonBatchSize)]
            let changed = try context.connection.transaction { connection in
                try connection.query(
                    statement,
                    [batch.map(\.id), batch.map(\.version), context.now, context.settings.recovery.abandonAfter]
                ) { try $0.decode("id", as: UUID.self) }
            }
            counts.abandoned += changed.count
            counts.abandonConflicts += batch.count - changed.count
        }
    }
}

/// Reads the recovery snapshot (`queries/recovery/attribution_*.sql`, `snapshot.sql`).
enum RecoverySnapshotReader {
    static func read(_ context: StepContext) throws -> RecoverySnapshot {
        var snapshot = RecoverySnapshot()
        let connection = context.connection
        _ = try connection.query(try context.queries.statement("recovery/attribution_by_stage.sql")) { row in
            guard let stage = RecoveryStage(rawValue: try row.decode("stage")) else { return }
            snapshot.stages[stage] = RecoverySnapshot.StageTotals(
                sent: try row.decode("sent"), clicked: try row.decode("clicked"), converted: try row.decode("converted"),
                heldOut: try row.decode("held_out"), heldOutConverted: try row.decode("held_out_converted"))
        }
        _ = try connection.query(try context.queries.statement("recovery/attribution_money.sql")) { row in
            snapshot.money[try row.decode("currency")] = RecoverySnapshot.Money(
                revenue: try row.decode("revenue"), discount: try row.decode("discount"))
        }
        _ = try connection.query(try context.queries.statement("recovery/snapshot.sql"), [context.now]) { row in
            let name: String = try row.decode("name")
            let value: Int = try row.decode("value")
            switch try row.decode("kind", as: String.self) {
            case "carts": snapshot.carts[name] = value
            case "codes": snapshot.codes[name] = value
            case _ where name == "pending": snapshot.outboxPending = value
            default: snapshot.outboxOldestPendingAge = value
            }
        }
        snapshot.outboxMaxPendingAge = context.settings.staleness.outboxPendingAge
        return snapshot
    }
}

extension StepName {
    public static let recovery: StepName = "recovery"
}
