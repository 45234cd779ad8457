import Foundation
import NightlyCore
import Postgres

/// Keeps nothing longer than needed (docs/privacy.md): clears outbox content a set time after dispatch and the
/// recovery ledger's personal fields a set time after the message, in bounded transactions that skip rows
/// another copy holds, and removes releases beyond `keep_releases` or older than `retention_releases`, and
/// review copies of messages older than that from the releases that stay.
/// In a dry run it counts what it would clear and remove.
public struct Retention {
    public init() {}

    public func run(connection: Connection, settings: Settings, now: Date, outputDirectory: String) async throws
        -> RetentionCounts
    {
        let queries = QueryLibrary(directory: settings.queriesDirectory)
        let retention = settings.retention
        let clearOutbox = try queries.statement("privacy/clear_outbox.sql")
        let clearMessages = try queries.statement("privacy/clear_messages.sql")
        let outbox = try clear(
            due: try queries.statement("retention/outbox_due.sql"), after: retention.outboxContent,
            with: [clearOutbox], connection: connection, settings: settings, now: now)
        let messages = try clear(
            due: try queries.statement("retention/messages_due.sql"), after: retention.recoveryPersonalData,
            with: [clearMessages, clearOutbox], connection: connection, settings: settings, now: now)

        let releases = KeptReleases(outputDirectory: outputDirectory)
        // Release names carry the system time they were staged (not the run's clock), so their age is measured
        // on the system clock.
        let expired = releases.expired(keep: settings.keepReleases, maximumAge: retention.releases, now: Date())
        if !settings.dryRun {
            for name in expired { try releases.remove(name) }
        }
        // Runs that do not render e-mails carry the published ones over, so a kept release (the published one
        // too) may hold review copies older than its own time: those go by the age of their message.
        let kept = releases.names().filter { !expired.contains($0) }
        let rendered = Array(releases.renderedMessageIDs(in: kept))
        let outdated = try connection.query(
            try queries.statement("retention/review_copies_due.sql"), [rendered, now, retention.releases]
        ) { try $0.decode("id", as: UUID.self) }
        let removal = try releases.removeMessages(outdated, from: kept, dryRun: settings.dryRun)
        var counts = RetentionCounts()
        counts.outboxContentsCleared = outbox
        counts.recoveryMessagesCleared = messages
        counts.releasesRemoved = expired.count
        counts.reviewCopiesRemoved = removal.files
        return counts
    }

    /// Selects due rows with `due` (bound: the clock, `age` in seconds, a batch size) and clears them with each of
    /// `statements` (bound: the message ids, the clock) in one transaction per batch, until none is left.
    /// Returns how many rows were due.
    private func clear(
        due: SQLStatement, after age: TimeInterval, with statements: [SQLStatement], connection: Connection,
        settings: Settings, now: Date
    ) throws -> Int {
        guard !settings.dryRun else {
            return try connection.query(due, [now, age, Int(Int32.max)]) { _ in () }.count
        }
        let batchSize = settings.retention.batchSize
        var total = 0
        while true {
            let cleared = try connection.transaction { connection in
                let ids = try connection.query(due, [now, age, batchSize]) { try $0.decode(at: 0, as: UUID.self) }
                for statement in statements { try connection.execute(statement, [ids, now]) }
                return ids.count
            }
            total += cleared
            if cleared < batchSize { return total }
        }
    }
}
