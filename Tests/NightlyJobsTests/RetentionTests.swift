import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("Retention: outbox content, ledger personal data and releases on a real PostgreSQL")
struct RetentionTests {
    /// Settings of a retention run against `shop` at `now`.
    func settings(_ shop: Shop, output: URL, now: Date, dryRun: Bool = false) -> Settings {
        var settings = testSettings(database: shop.database, output: output, now: now)
        settings.dryRun = dryRun
        settings.retention.batchSize = 2
        return settings
    }

    func retain(_ shop: Shop, output: URL, at now: Date, dryRun: Bool = false) async throws -> RetentionCounts {
        try await Retention().run(
            connection: shop.connection, settings: settings(shop, output: output, now: now, dryRun: dryRun), now: now,
            outputDirectory: output.path)
    }

    @Test func contentIsClearedAfterDispatchAndPersonalFieldsAfterTheirTime() async throws {
        let shop = try Shop()
        for _ in 0..<5 {
            try shop.cart(of: try shop.customer("Perpetua"), lastActivity: testNow.addingTimeInterval(-3 * hour))
        }
        let output = try makeTemporaryDirectory("retention")
        try await runRecovery(shop.database, now: testNow, output: output)
        try #require(try shop.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages") == 5)
        // Four dispatched at the run, one still pending.
        try shop.execute("""
            UPDATE checkout_nightly.notification_outbox SET dispatched_at = $1::timestamptz
            WHERE id IN (SELECT id FROM checkout_nightly.notification_outbox ORDER BY id LIMIT 4)
            """, [testNow])
        let personal = "SELECT count(*) AS n FROM checkout_nightly.notification_outbox WHERE text LIKE '%Perpetua%' OR recipient LIKE 'perpetua.%'"

        #expect(try await retain(shop, output: output, at: testNow.addingTimeInterval(6 * day)) == RetentionCounts())
        #expect(try shop.count(personal) == 5)

        let dryRun = try await retain(shop, output: output, at: testNow.addingTimeInterval(8 * day), dryRun: true)
        #expect(dryRun.outboxContentsCleared == 4)
        #expect(try shop.count(personal) == 5, "a dry run clears nothing")

        let week = try await retain(shop, output: output, at: testNow.addingTimeInterval(8 * day))
        #expect(week == RetentionCounts(outboxContentsCleared: 4))
        #expect(try shop.count(personal) == 1, "the pending notification keeps its content")
        #expect(try shop.count("""
            SELECT count(*) AS n FROM checkout_nightly.notification_outbox
            WHERE recipient = '[erased]' AND html = '[erased]' AND text = '[erased]' AND headers = '{}'
              AND content_cleared_at IS NOT NULL
            """) == 4)
        #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages WHERE recipient LIKE 'perpetua.%'") == 5,
                "the ledger keeps its personal fields for longer")

        let halfYear = try await retain(shop, output: output, at: testNow.addingTimeInterval(181 * day))
        #expect(halfYear.recoveryMessagesCleared == 5 && halfYear.outboxContentsCleared == 0)
        #expect(try shop.count("""
            SELECT count(*) AS n FROM checkout_nightly.recovery_messages
            WHERE recipient = '[erased]' AND subject = '[erased]' AND personal_data_cleared_at IS NOT NULL
              AND code IS NOT NULL AND stage = 'first_email'
            """) == 5, "the personal fields are cleared; what the reports count stays")
        #expect(try shop.count(personal) == 0, "the pending notification's content goes with its ledger row")

        let again = try await retain(shop, output: output, at: testNow.addingTimeInterval(182 * day))
        #expect(again.outboxContentsCleared == 0 && again.recoveryMessagesCleared == 0, "nothing is cleared twice")
    }

    @Test func releasesBeyondKeepOrTooOldAreRemovedButNeverThePublishedOne() async throws {
        let shop = try Shop()
        let output = try makeTemporaryDirectory("retention-releases")
        for offset in [0, 1, 2, 40] {
            try await runRecovery(shop.database, now: testNow.addingTimeInterval(Double(offset) * day), output: output)
        }
        let folders = ReleaseFolders(outputDirectory: output.path)
        try FileManager.default.createDirectory(
            at: folders.releasesDirectory.appendingPathComponent("kept-by-hand"), withIntermediateDirectories: true)
        let before = folders.names()
        #expect(before.count == 4, "the publisher kept 3 releases, plus the folder made by hand: \(before)")
        let published = try #require(folders.publishedName())

        let now = testNow.addingTimeInterval(41 * day)
        let counts = try await retain(shop, output: output, at: now)
        #expect(counts.releasesRemoved == 2, "the releases of day 1 and 2 are older than 30 days")
        #expect(folders.names() == ["kept-by-hand", published])

        // The published release stays even when it is older than the retention and keep is 1.
        var settings = settings(shop, output: output, now: now.addingTimeInterval(100 * day))
        settings.keepReleases = 1
        let later = try await Retention().run(
            connection: shop.connection, settings: settings, now: now.addingTimeInterval(100 * day), outputDirectory: output.path)
        #expect(later.releasesRemoved == 0)
        #expect(folders.names() == ["kept-by-hand", published])
    }

    @Test func onTheDemoDataNothingPersonalOutlivesItsTimeAndTheReportsCountTheSame() async throws {
        let database = try TestDatabase.seeded(carts: 600, now: testNow)
        let connection = try database.connect()
        let output = try makeTemporaryDirectory("retention-demo")
        try await NightlyRun(settings: testSettings(database: database, output: output, now: testNow), logger: quietLogger).execute()
        try connection.execute("UPDATE checkout_nightly.notification_outbox SET dispatched_at = $1::timestamptz", [testNow])
        let messages = try connection.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages")
        try #require(messages > 0)
        let addressed = """
            SELECT count(*) AS n FROM customers AS c
            WHERE EXISTS (SELECT 1 FROM checkout_nightly.recovery_messages AS m WHERE lower(m.recipient) = lower(c.email))
               OR EXISTS (SELECT 1 FROM checkout_nightly.notification_outbox AS o
                          WHERE lower(o.recipient) = lower(c.email) OR o.text LIKE '%' || c.first_name || '%')
            """
        try #require(try connection.count(addressed) > 0)
        let totals = try reportTotals(connection, queries: QueryLibrary(directory: Repository.queries))

        let later = testNow.addingTimeInterval(181 * day)
        let settings = testSettings(database: database, output: output, now: later)
        let counts = try await Retention().run(connection: connection, settings: settings, now: later, outputDirectory: output.path)
        #expect(counts.outboxContentsCleared == messages && counts.recoveryMessagesCleared == messages)
        #expect(try connection.count(addressed) == 0, "no address or first name is left in the ledger or the outbox")
        #expect(try reportTotals(connection, queries: QueryLibrary(directory: Repository.queries)) == totals)
    }

    @Test func reviewCopiesCarriedIntoThePublishedReleaseGoWhenTheirMessageIsTooOld() async throws {
        let shop = try Shop()
        try shop.cart(of: try shop.customer(), lastActivity: testNow.addingTimeInterval(-3 * hour))
        let output = try makeTemporaryDirectory("retention-copies")
        try await runRecovery(shop.database, now: testNow, output: output)
        let message = try #require(try shop.connection.queryFirst(
            "SELECT id FROM checkout_nightly.recovery_messages") { try $0.decode("id", as: UUID.self) }).uuidString.lowercased()
        // A reports-only run 40 days later publishes a release that carries the e-mails over.
        let later = testNow.addingTimeInterval(40 * day)
        try await NightlyRun(
            settings: testSettings(database: shop.database, output: output, now: later, steps: [.reports]), logger: quietLogger
        ).execute()
        let published = try filesMentioning(message, under: output.appendingPathComponent("current").resolvingSymlinksInPath())
        try #require(published.count == 5, "\(published)")

        let dryRun = try await retain(shop, output: output, at: later, dryRun: true)
        #expect(dryRun.releasesRemoved == 1 && dryRun.reviewCopiesRemoved == 3)
        #expect(try filesMentioning(message, under: output.appendingPathComponent("current").resolvingSymlinksInPath()).count == 5)
        let counts = try await retain(shop, output: output, at: later)
        #expect(counts.releasesRemoved == 1, "the recovery run's release is older than 30 days")
        #expect(counts.reviewCopiesRemoved == 3, "the e-mail's .html, .txt and .eml")
        #expect(try filesMentioning(message, under: output) == [], "neither files nor review rows are left")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("site/emails.html").path))
    }
}
