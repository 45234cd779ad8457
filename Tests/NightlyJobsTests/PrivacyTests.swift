import Foundation
import NightlyCore
@testable import NightlyJobs
import Postgres
import Testing
import TestSupport

/// Every file under `folder` whose name or text contains `needle`, compared case-insensitively.
func filesMentioning(_ needle: String, under folder: URL) throws -> [String] {
    let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
    let needle = needle.lowercased()
    var found: [String] = []
    while let url = enumerator?.nextObject() as? URL {
        let text = FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard url.lastPathComponent.lowercased().contains(needle) || text.lowercased().contains(needle) else { continue }
        found.append(url.path)
    }
    return found
}

/// Every row of the batch's own tables that holds personal data, as text, that contains `needle`.
func ledgerRowsMentioning(_ needle: String, _ connection: Connection) throws -> Int {
    try connection.count(
        """
        SELECT count(*) AS n FROM (
            SELECT t::text AS row FROM checkout_nightly.recovery_messages AS t
            UNION ALL SELECT t::text FROM checkout_nightly.notification_outbox AS t
            UNION ALL SELECT t::text FROM checkout_nightly.discount_codes AS t
            UNION ALL SELECT t::text FROM checkout_nightly.erasures AS t) AS rows
        WHERE lower(row) LIKE '%' || lower($1::text) || '%'
        """, [needle])
}

/// What the reports count from the recovery ledger: messages by stage, channel and locale with their codes,
/// clicks and conversions, the codes, and the attribution queries' totals.
func reportTotals(_ connection: Connection, queries: QueryLibrary) throws -> [String] {
    let grouped = try connection.query(
        SQLStatement(
            """
            SELECT concat_ws('|', stage, channel, locale, count(*), count(code), count(clicked_at), count(converted_order_id)) AS line
            FROM checkout_nightly.recovery_messages GROUP BY stage, channel, locale ORDER BY 1
            """, source: "test")
    ) { try $0.decode("line", as: String.self) }
    let codes = try connection.count("SELECT count(*) AS n FROM checkout_nightly.discount_codes")
    let byStage = try connection.query(try queries.statement("recovery/attribution_by_stage.sql")) { row in
        row.columnNames.indices.map { row.text(at: $0) ?? "" }.joined(separator: "|")
    }
    return grouped + ["codes \(codes)"] + byStage
}

@Suite("forget: a customer erased on request from the demo data, the database and every release")
struct ForgetTests {
    let queries = QueryLibrary(directory: Repository.queries)

    func forget(_ arguments: [String], database: TestDatabase, output: URL, now: Date) throws -> ProcessOutput {
        try runProcess(
            try checkoutNightlyBinary(),
            ["forget"] + arguments + ["--database-url", database.url, "--output", output.path, "--now", ISO8601Timestamp.format(now)],
            currentDirectory: Repository.root)
    }

    @Test func forgetLeavesNothingOfTheCustomerAndKeepsTheReportsTotals() async throws {
        let database = try TestDatabase.seeded(carts: 600, now: testNow)
        let connection = try database.connect()
        // A demo customer the first run will message, renamed so that a search finds only them.
        let customer = try #require(try connection.queryFirst(
            """
            SELECT cu.id FROM cart_sessions AS c JOIN customers AS cu ON cu.id = c.customer_id
            WHERE c.status = 'active' AND c.is_active AND c.order_id IS NULL AND cu.marketing_opt_in
              AND cu.unsubscribed_at IS NULL AND cu.email_bounced_at IS NULL
              AND c.expires_at > $1::timestamptz
              AND c.updated_at BETWEEN $1::timestamptz - interval '20 hours' AND $1::timestamptz - interval '3 hours'
              AND EXISTS (SELECT 1 FROM cart_items AS i WHERE i.cart_session_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.cart_session_id = c.id)
              AND (SELECT count(*) FROM cart_sessions AS other WHERE other.customer_id = cu.id) = 1
            ORDER BY c.id LIMIT 1
            """, [testNow]) { try $0.decode("id", as: UUID.self) })
        let (address, name) = ("quillon.erasure@example.org", "Quillon")
        try connection.execute(
            "UPDATE customers SET email = $2::text, first_name = $3::text WHERE id = $1::uuid", [customer, address, name])

        let output = try makeTemporaryDirectory("forget")
        try await NightlyRun(settings: testSettings(database: database, output: output, now: testNow), logger: quietLogger).execute()
        try await NightlyRun(
            settings: testSettings(database: database, output: output, now: testNow.addingTimeInterval(day), steps: [.recovery]),
            logger: quietLogger
        ).execute()
        let messages = try connection.query(
            "SELECT id FROM checkout_nightly.recovery_messages WHERE customer_id = $1::uuid ORDER BY created_at", [customer]
        ) { try $0.decode("id", as: UUID.self) }
        try #require(!messages.isEmpty, "the chosen customer was messaged")
        // The notification service dispatched the first message; the others are still pending.
        try connection.execute(
            "UPDATE checkout_nightly.notification_outbox SET dispatched_at = $2::timestamptz WHERE message_id = $1::uuid",
            [messages[0], testNow])
        #expect(try filesMentioning(address, under: output) == [], "review copies mask the recipient, To: header included")
        try #require(!(try filesMentioning(name, under: output)).isEmpty, "the e-mails greet the customer")
        try #require(try ledgerRowsMentioning(address, connection) > 0)
        let totalsBefore = try reportTotals(connection, queries: queries)
        let tables = ["checkout_nightly.recovery_messages", "checkout_nightly.notification_outbox",
                      "checkout_nightly.discount_codes", "checkout_nightly.erasures"]
        let checksumBefore = try database.checksum(of: tables)
        let later = testNow.addingTimeInterval(2 * day)

        let dryRun = try forget(["--email", address.uppercased(), "--dry-run"], database: database, output: output, now: later)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains("recovery-ledger rows to be cleared: \(messages.count)"), "\(dryRun.stdout)")
        #expect(try database.checksum(of: tables) == checksumBefore, "a dry run changes no row")
        #expect(!(try filesMentioning(name, under: output)).isEmpty, "a dry run removes no file")

        let erased = try forget(["--email", address], database: database, output: output, now: later)
        #expect(erased.status == 0, "\(erased.stderr)")
        #expect(erased.stdout.contains("recovery-ledger rows cleared: \(messages.count)"), "\(erased.stdout)")
        #expect(erased.stdout.contains("outbox rows not dispatched yet cancelled: \(messages.count - 1)"), "\(erased.stdout)")
        #expect(!erased.stdout.lowercased().contains("quillon"), "the output names no personal data")

        for needle in [address, name] + messages.map { $0.uuidString.lowercased() } {
            #expect(try filesMentioning(needle, under: output) == [], "\(needle) is left in the output folder")
        }
        #expect(try ledgerRowsMentioning(address, connection) == 0)
        #expect(try ledgerRowsMentioning(name, connection) == 0)
        #expect(try reportTotals(connection, queries: queries) == totalsBefore, "the reports count the same")
        #expect(try connection.count(
            """
            SELECT count(*) AS n FROM checkout_nightly.discount_codes
            WHERE customer_id = $1::uuid AND redeemed_order_id IS NULL AND (revoked_at IS NULL OR expires_at > $2::timestamptz)
            """, [customer, later]) == 0, "no code of the customer can still be used")
        #expect(try connection.count(
            """
            SELECT count(*) AS n FROM checkout_nightly.notification_outbox
            WHERE message_id = ANY($1::uuid[]) AND dispatched_at IS NULL AND cancelled_at IS NULL
            """, [messages]) == 0, "nothing of the customer is left for the notification service to send")
        let audit = try #require(try connection.queryFirst(
            "SELECT os_user, database_role, identified_by, messages_cleared, files_removed FROM checkout_nightly.erasures"
        ) { row in
            (try row.decode("os_user", as: String.self), try row.decode("identified_by", as: String.self),
             try row.decode("messages_cleared", as: Int.self), try row.decode("files_removed", as: Int.self))
        })
        #expect(!audit.0.isEmpty && audit.1 == "email" && audit.2 == messages.count && audit.3 > 0)

        let again = try forget(["--customer", customer.uuidString], database: database, output: output, now: later)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Nothing of this customer is left to erase."), "\(again.stdout)")
        #expect(try connection.count("SELECT count(*) AS n FROM checkout_nightly.erasures") == 2, "every request is audited")
        #expect(try reportTotals(connection, queries: queries) == totalsBefore)
    }

    @Test(arguments: [
        (["--customer", "not-a-uuid"], "--customer is \"not-a-uuid\""),
        (["--email", "nobody"], "--email is not an e-mail address"),
        ([], "exactly one of --customer ID and --email ADDRESS"),
        (["--customer", "3f2c9a4e-0000-4000-8000-000000000000", "--email", "a@example.com"], "exactly one of"),
    ])
    func aBadRequestExits64WithASentence(_ arguments: [String], _ sentence: String) throws {
        let result = try runProcess(try checkoutNightlyBinary(), ["forget"] + arguments, currentDirectory: Repository.root)
        #expect(result.status == 64)
        #expect(result.stderr.contains(sentence), "\(result.stderr)")
    }
}
