import Foundation
import NightlyCore
import Postgres
import Rendering

/// The cart recovery pass (plan task 2.1, DESIGN.md §4): e-mails with discount codes, push messages and
/// abandonment, each stage at most once per cart, recorded exactly once through the outbox; then attribution,
/// the review pages and the rendered messages. See docs/recovery.md.
public struct RecoveryPass: NightlyStep {
    public let name = StepName.recovery
    public let changesData = true

    /// Called after each step of every send transaction; tests throw from it to stand in for a kill there.
    let afterSendStep: (@Sendable (RecoverySendStep) throws -> Void)?
    /// Makes the run's source of codes and tokens: the system CSPRNG unless a test injects a seeded one.
    let makeGenerator: @Sendable () -> any RandomNumberGenerator

    /// Every count the pass reports, zero included.
    public static let countKeys: [String] =
        ["candidates", "waiting"] + RecoveryStage.messageStages.map { "sent_" + $0.rawValue }
        + RecoverySuppression.allCases.map { "suppressed_" + $0.rawValue }
        + ["codes_issued", "code_collisions", "abandoned", "abandon_conflicts", "deferred_run_cap", "skipped_locked",
           "skipped_changed", "skipped_already_sent"]

    /// How many carts one abandonment transaction changes at most.
    static let abandonBatchSize = 500

    public init(
        afterSendStep: (@Sendable (RecoverySendStep) throws -> Void)? = nil,
        makeGenerator: @escaping @Sendable () -> any RandomNumberGenerator = { SystemRandomNumberGenerator() }
    ) {
        self.afterSendStep = afterSendStep
        self.makeGenerator = makeGenerator
    }

    public func run(_ context: RunContext) throws -> StepResult {
        let settings = context.settings.recovery
        let formatting = LocalizedFormatting()
        // Every template in every locale is rendered before anything is read or recorded: a broken or missing
        // template stops the pass here, naming the file.
        let templates = try RecoveryTemplates(templates: context.templates)
        let gallery = try templates.gallery(settings: settings, now: context.now, formatting: formatting)

        var counts = Dictionary(uniqueKeysWithValues: Self.countKeys.map { ($0, 0) })
        let planner = RecoveryPlanner(settings: settings)
        var due: [UUID] = []
        var abandon: [(id: UUID, version: Int)] = []
        try RecoveryCandidates.each(context) { cart in
            counts["candidates", default: 0] += 1
            switch planner.decide(cart, now: context.now) {
            case .wait: counts["waiting", default: 0] += 1
            case .suppress(let reason): counts["suppressed_" + reason.rawValue, default: 0] += 1
            case .send: due.append(cart.id)
            case .abandon: abandon.append((cart.id, cart.version))
            }
        }

        let renderings = try send(
            due, context: context, planner: planner, templates: templates, formatting: formatting, counts: &counts)
        try markAbandoned(abandon, context: context, counts: &counts)

        if !context.settings.dryRun {
            try context.connection.execute(
                try context.queries.statement("recovery/attribute.sql"), [context.now, settings.attributionWindow])
        }
        let snapshot = try RecoverySnapshotReader.read(context)
        context.output.metrics[name.rawValue] = snapshot.metricFamilies
        try writeReview(renderings, gallery: gallery, context: context)
        return StepResult(counts: counts)
    }

    /// Sends the due messages, one transaction each, up to the per-run cap.
    private func send(
        _ due: [UUID], context: RunContext, planner: RecoveryPlanner, templates: RecoveryTemplates,
        formatting: LocalizedFormatting, counts: inout [String: Int]
    ) throws -> [RecoveryRendering] {
        let sender = RecoverySender(
            context: context, planner: planner, templates: templates, formatting: formatting, afterStep: afterSendStep)
        var generator = makeGenerator()
        var renderings: [RecoveryRendering] = []
        var messaged: Set<UUID> = []
        defer { context.progress.finish() }
        for (index, cartID) in due.enumerated() {
            guard renderings.count < context.settings.recovery.maxMessagesPerRun else {
                counts["deferred_run_cap"] = due.count - index
                context.logger.warning(
                    "the per-run message cap is reached; the remaining due carts wait for the next run",
                    metadata: ["step": "recovery", "cap": "\(context.settings.recovery.maxMessagesPerRun)",
                               "deferred": "\(due.count - index)"])
                break
            }
            context.progress.update("recovery: cart \(index + 1) of \(due.count)")
            switch try sender.send(cartID: cartID, messagedThisRun: messaged, generator: &generator) {
            case .sent(let rendering, let customerID, let collisions):
                renderings.append(rendering)
                messaged.insert(customerID)
                let message = rendering.message
                counts["sent_" + message.stage.rawValue, default: 0] += 1
                counts["codes_issued", default: 0] += message.code == nil ? 0 : 1
                counts["code_collisions", default: 0] += collisions
                context.logger.info(
                    context.settings.dryRun ? "recovery message rendered (dry run)" : "recovery message recorded",
                    metadata: [
                        "step": "recovery", "cart": "\(cartID.uuidString.lowercased())",
                        "message": "\(message.id.uuidString.lowercased())", "stage": "\(message.stage.rawValue)",
                        "locale": "\(message.locale)",
                        "recipient": "\(EmailReviewPage.Message.displayedRecipient(message.recipient, channel: message.stage.channel ?? .email))",
                    ])
            case .notSent(let reason):
                counts[reason, default: 0] += 1
            }
        }
        return renderings
    }

    /// Marks carts idle past the abandonment delay as abandoned, version-checked, in bounded transactions.
    private func markAbandoned(
        _ carts: [(id: UUID, version: Int)], context: RunContext, counts: inout [String: Int]
    ) throws {
        guard !context.settings.dryRun else {
            counts["abandoned"] = carts.count
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
            counts["abandoned", default: 0] += changed.count
            counts["abandon_conflicts", default: 0] += batch.count - changed.count
        }
    }

    /// The rendered messages into `emails/`, the gallery into `emails/gallery/`, and the review pages.
    private func writeReview(
        _ renderings: [RecoveryRendering], gallery: [RecoveryTemplates.GalleryItem], context: RunContext
    ) throws {
        func files(_ rendering: RecoveryRendering, stem: String) {
            switch rendering.forReview().content {
            case .email(let email):
                context.output.emailFiles[stem + ".html"] = email.html
                context.output.emailFiles[stem + ".txt"] = email.text
                context.output.emailFiles[stem + ".eml"] = email.message.eml
            case .push(let push):
                context.output.emailFiles[stem + ".push.txt"] = "Title: \(push.title)\nBody: \(push.body)\nLink: \(push.link)\n"
            }
        }
        let messages = renderings.map { rendering in
            let message = rendering.message
            let stem = "\(message.stage.rawValue)-\(message.locale)-\(message.id.uuidString.lowercased())"
            files(rendering, stem: stem)
            return EmailReviewPage.Message(message, subject: rendering.subject, preview: rendering.preview, fileStem: stem)
        }
        let samples = gallery.map { item in
            let message = item.rendering.message
            let stem = "gallery/\(message.locale)/\(message.stage.rawValue)-\(item.sample.name)"
            files(item.rendering, stem: stem)
            return EmailReviewPage.Message(
                message, subject: item.rendering.subject, preview: item.rendering.preview, fileStem: stem,
                recipient: item.sample.title)
        }
        let page = EmailReviewPage(
            now: context.now, runID: context.runID, dryRun: context.settings.dryRun, messages: messages,
            gallery: samples)
        let pages = SitePages(templates: context.templates, dataTakenAt: context.now)
        try pages.add("emails", page, tables: page.messageTables, into: &context.output.siteFiles)
        try pages.add("email-gallery", page, tables: page.galleryTables, into: &context.output.siteFiles)
    }
}

/// Reads the recovery snapshot (`queries/recovery/attribution_*.sql`, `snapshot.sql`).
enum RecoverySnapshotReader {
    static func read(_ context: RunContext) throws -> RecoverySnapshot {
        var snapshot = RecoverySnapshot()
        let connection = context.connection
        _ = try connection.query(try context.queries.statement("recovery/attribution_by_stage.sql")) { row in
            guard let stage = RecoveryStage(rawValue: try row.decode("stage")) else { return }
            snapshot.stages[stage] = RecoverySnapshot.StageTotals(
                sent: try row.decode("sent"), clicked: try row.decode("clicked"), converted: try row.decode("converted"))
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
