import Foundation
import Logging
import NightlyCore
@testable import NightlyJobs
import Postgres
import Rendering
import Testing
import TestSupport

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

let hour: TimeInterval = 3600
let minute: TimeInterval = 60
let day: TimeInterval = 86400

/// Runs the recovery pass through the runner, as `run --only recovery` does, and returns its report.
@discardableResult
func runRecovery(
    _ database: TestDatabase, now: Date, output: URL? = nil, pass: RecoveryPass = RecoveryPass(),
    templates: String = Repository.templates, _ configure: (inout Settings) -> Void = { _ in }
) async throws -> StepReport {
    var settings = testSettings(
        database: database, output: try output ?? makeTemporaryDirectory("recovery"), now: now, steps: [.recovery])
    settings.templatesDirectory = templates
    configure(&settings)
    let reports = try await NightlyRun(settings: settings, steps: [pass], logger: quietLogger).execute()
    return try #require(reports.first)
}

/// A small shop in a database of its own: customers and carts made to measure for one rule.
struct Shop {
    let database: TestDatabase
    let connection: Connection

    init(database: TestDatabase? = nil) throws {
        self.database = try database ?? TestDatabase.create()
        connection = try self.database.connect()
    }

    @discardableResult
    func customer(
        _ firstName: String = "Ava", locale: String = "en-US", optIn: Bool = true, unsubscribed: Bool = false,
        bounced: Bool = false, push: Bool = false
    ) throws -> UUID {
        let id = UUID()
        try connection.execute(
            SQLStatement(
                """
                INSERT INTO customers (id, email, first_name, locale, marketing_opt_in, unsubscribed_at, email_bounced_at, push_enabled)
                VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::boolean,
                        CASE WHEN $6::boolean THEN now() END, CASE WHEN $7::boolean THEN now() END, $8::boolean)
                """, source: "test fixture"),
            [id, "\(firstName.lowercased()).\(id.uuidString.prefix(8).lowercased())@example.com", firstName, locale,
             optIn, unsubscribed, bounced, push])
        return id
    }

    @discardableResult
    func cart(
        of customer: UUID?, lastActivity: Date, currency: String = "USD",
        lines: [(name: String, quantity: Int, price: Decimal)] = [("Mug", 2, 14.5)]
    ) throws -> UUID {
        let id = UUID()
        try connection.execute(
            SQLStatement(
                """
                INSERT INTO cart_sessions (id, session_id, customer_id, status, is_active, currency, version, created_at,
                                           updated_at, expires_at)
                VALUES ($1::uuid, 'sess_' || $1::text, $2::uuid, 'active', true, $3::text, 1, $4::timestamptz,
                        $4::timestamptz, $4::timestamptz + interval '30 days')
                """, source: "test fixture"),
            [id, customer, currency, lastActivity])
        for (index, line) in lines.enumerated() {
            try connection.execute(
                SQLStatement(
                    """
                    INSERT INTO cart_items (id, cart_session_id, product_id, sku, product_name, image_url, quantity, unit_price,
                                            created_at, updated_at)
                    VALUES (gen_random_uuid(), $1::uuid, 'prod-' || $2::int, 'SKU-' || $2::int, $3::text,
                            'https://cdn.example.com/p.jpg', $4::int, $5::numeric, $6::timestamptz + make_interval(secs => $2::int),
                            $6::timestamptz)
                    """, source: "test fixture"),
                [id, index, line.name, line.quantity, line.price, lastActivity])
        }
        return id
    }

    /// The stages recorded for `cart`, in stage order.
    func stages(_ cart: UUID) throws -> [RecoveryStage] {
        try connection.query(
            SQLStatement("SELECT stage FROM checkout_nightly.recovery_messages WHERE cart_id = $1::uuid", source: "test"),
            [cart]
        ) { RecoveryStage(rawValue: try $0.decode("stage")) }.compactMap { $0 }.sorted()
    }

    /// The number `sql` counts (its one column `n`).
    func count(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> Int {
        try connection.count(sql, parameters)
    }

    func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws {
        try connection.execute(SQLStatement(sql, source: "test"), parameters)
    }
}

/// Every recorded message as `cart|stage`, plus the checks that hold whatever happened: one outbox row per
/// message, one code per e-mail and no code without its message.
func recordedMessages(_ database: TestDatabase) throws -> Set<String> {
    let shop = try Shop(database: database)
    #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.notification_outbox")
        == shop.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages"))
    #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.discount_codes")
        == shop.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages WHERE channel = 'email'"))
    #expect(try shop.count("""
        SELECT count(*) AS n FROM checkout_nightly.discount_codes AS d
        WHERE NOT EXISTS (SELECT 1 FROM checkout_nightly.recovery_messages AS m WHERE m.code = d.code)
        """) == 0)
    return Set(try shop.connection.query(
        SQLStatement("SELECT cart_id::text || '|' || stage AS key FROM checkout_nightly.recovery_messages", source: "test")
    ) { try $0.decode("key", as: String.self) })
}

/// Throws once, at `step` of the first send after `afterCommits` messages were committed.
final class KillSwitch: @unchecked Sendable {
    struct Killed: Error {}

    private let step: RecoverySendStep
    private let afterCommits: Int
    private let lock = NSLock()
    private var commits = 0
    private var fired = false

    init(at step: RecoverySendStep, afterCommits: Int) {
        self.step = step
        self.afterCommits = afterCommits
    }

    var hook: @Sendable (RecoverySendStep) throws -> Void {
        { [self] current in try check(current) }
    }

    private func check(_ current: RecoverySendStep) throws {
        lock.lock()
        defer { lock.unlock() }
        if current == .committed { commits += 1 }
        let reached = current == .committed ? commits > afterCommits : commits >= afterCommits
        if !fired, current == step, reached {
            fired = true
            throw Killed()
        }
    }
}

