import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

@Suite("Retention: outbox content, ledger personal data and releases on a real PostgreSQL")
struct RetentionTests {
    /// Settings of a retention run against `shop` at `now`.
    func settings(_ shop: Fixtures, output: URL, now: Date, dryRun: Bool = false) -> Settings {
        var settings = testSettings(database: shop.database, output: output, now: now)
        settings.dryRun = dryRun
        settings.retention.batchSize = 2
        return settings
    }

    func retain(_ shop: Fixtures, output: URL, at now: Date, dryRun: Bool = false) async throws -> RetentionCounts {
        try await Retention().run(
            connection: shop.connection, settings: settings(shop, output: output, now: now, dryRun: dryRun), now: now,
            outputDirectory: output.path)
    }

    @Test func contentIsClearedAfterDispatchAndPersonalFieldsAfterTheirTime() async throws {
        let shop = try Fixtures()
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
        #expect(week.named == ["outbox_contents_cleared": 4, "recovery_messages_cleared": 0, "releases_removed": 0,
                               "review_copies_removed": 0])
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
        let shop = try Fixtures()
        let output = try makeTemporaryDirectory("retention-releases")
        try await runRecovery(shop.database, now: testNow, output: output)
        let folders = KeptReleases(outputDirectory: output.path)
        let published = try #require(folders.publishedName())
        // Older releases, named as the publisher names them (by the system time they were staged).
        func release(daysAgo: Double) throws -> String {
            let name = Date().addingTimeInterval(-daysAgo * day).formatted(ReleasePublisher.nameTime) + "-0000000\(Int(daysAgo))"
            try FileManager.default.createDirectory(
                at: folders.releasesDirectory.appendingPathComponent(name).appendingPathComponent("site"),
                withIntermediateDirectories: true)
            return name
        }
        let (one, two) = (try release(daysAgo: 1), try release(daysAgo: 2))
        _ = (try release(daysAgo: 35), try release(daysAgo: 40))
        try FileManager.default.createDirectory(
            at: folders.releasesDirectory.appendingPathComponent("kept-by-hand"), withIntermediateDirectories: true)

        var settings = settings(shop, output: output, now: testNow)
        settings.keepReleases = 10
        let byAge = try await Retention().run(connection: shop.connection, settings: settings, now: testNow, outputDirectory: output.path)
        #expect(byAge.releasesRemoved == 2, "the releases of 35 and 40 days ago are older than 30 days")
        #expect(folders.names() == ["kept-by-hand", published, one, two])

        settings.keepReleases = 1
        let byCount = try await Retention().run(connection: shop.connection, settings: settings, now: testNow, outputDirectory: output.path)
        #expect(byCount.releasesRemoved == 2, "beyond keep_releases = 1")
        #expect(folders.names() == ["kept-by-hand", published], "the published release and the folder made by hand stay")
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
        let shop = try Fixtures()
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
        #expect(dryRun.releasesRemoved == 0 && dryRun.reviewCopiesRemoved == 6)
        #expect(try filesMentioning(message, under: output.appendingPathComponent("current").resolvingSymlinksInPath()).count == 5)
        let counts = try await retain(shop, output: output, at: later)
        #expect(counts.releasesRemoved == 0, "both releases were staged just now")
        #expect(counts.reviewCopiesRemoved == 6, "the e-mail's .html, .txt and .eml in both releases")
        #expect(try filesMentioning(message, under: output) == [], "neither files nor review rows are left")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("site/emails.html").path))
    }
}
