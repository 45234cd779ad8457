import Foundation
import InMemoryLogging
import Logging
import NightlyCore
@testable import NightlyJobs
import Postgres
import Rendering
import TestSupport

// The cleanup passes' carts, built with the fixture kit (`Fixtures`), and the helpers that run a pass and read
// back what it did.

extension Fixtures {
    /// A cart in checkout whose order exists, untouched for `idle` seconds, expiring `expiresIn` seconds after
    /// `now`, with metadata of its own (kept by the pass); returns the cart and order ids.
    @discardableResult
    func stuckCart(idle: TimeInterval = 3600, version: Int = 3, items: Int = 2, expiresIn: TimeInterval = 30 * 86400)
        throws -> (cart: UUID, order: UUID)
    {
        let order = UUID()
        let cart = try cart(
            status: "checkout", orderID: order, lastActivity: now.addingTimeInterval(-idle),
            expiresAt: now.addingTimeInterval(expiresIn), version: version, metadata: #"{"channel": "web"}"#,
            items: .numbered(items))
        try self.order(order, cart: cart)
        return (cart, order)
    }

    /// A cart in checkout whose `order_id` names an order that does not exist.
    @discardableResult
    func stuckCartWithoutOrder(idle: TimeInterval = 3600) throws -> UUID {
        try cart(status: "checkout", orderID: UUID(), lastActivity: now.addingTimeInterval(-idle), items: .numbered(2))
    }

    /// A cart as the tests check it, or nil when it is gone.
    func state(_ cart: UUID) throws -> CartState? {
        try connection.queryFirst(
            SQLStatement(
                """
                SELECT c.status, c.is_active, c.version, c.metadata::text AS metadata,
                       (SELECT count(*) FROM cart_items AS i WHERE i.cart_session_id = c.id) AS items
                FROM cart_sessions AS c WHERE c.id = $1::uuid
                """, source: "test fixture: cart state"),
            [cart]
        ) { row in
            CartState(
                status: try row.decode("status"), isActive: try row.decode("is_active"),
                version: try row.decode("version"), metadata: try row.decode("metadata"), items: try row.decode("items"))
        }
    }

    /// How many rows `table` holds.
    func rowCount(_ table: String) throws -> Int {
        try count("SELECT count(*) AS n FROM \(table)")
    }
}

/// A cart's state as the cleanup tests compare it.
struct CartState: Equatable {
    var status: String
    var isActive: Bool
    var version: Int
    var metadata: JSONValue
    var items: Int

    var cleanedByJob: Bool { metadata["cleaned_by_job"] == .bool(true) }
}

/// The tables the cleanup passes may change, for checksums.
let cleanupTables = ["cart_sessions", "cart_items", "orders", "customers"]

/// What a run logged, kept in memory by swift-log's `InMemoryLogHandler`.
struct LogRecord: Sendable {
    private let handler: InMemoryLogHandler = {
        var handler = InMemoryLogHandler()
        handler.logLevel = .trace
        return handler
    }()

    var entries: [InMemoryLogHandler.Entry] { handler.entries }

    /// The value of `key` in every event whose message is `message`.
    func values(_ key: String, of message: String) -> [String] {
        entries.filter { $0.message.description == message }.compactMap { $0.metadata[key].map { "\($0)" } }
    }

    /// A logger that records into this log.
    var logger: Logger { Logger(label: "test") { _ in handler } }
}

/// Settings for running only the cleanup passes against `database`, into a fresh output folder.
func cleanupSettings(_ database: TestDatabase, steps: [StepName] = [.stuckCarts, .expiredSessions]) throws -> Settings {
    testSettings(database: database, output: try makeTemporaryDirectory("cleanup"), now: testNow, steps: steps)
}

/// Runs the batch with `settings` and returns the report of `step`.
func runPass(_ step: StepName, _ settings: Settings, log: LogRecord = LogRecord()) async throws -> StepReport {
    let reports = try await NightlyRun(settings: settings, logger: log.logger).execute()
    guard let report = reports.first(where: { $0.step == step.rawValue }) else {
        throw TestEnvironmentError("the run did not run \(step.rawValue): \(reports.map(\.step))")
    }
    return report
}

/// A run context of its own (own connection, the settings' timeouts), for calling a step or its statements
/// directly, as a second copy of the pass would, without the runner's advisory lock.
func makeContext(_ settings: Settings, log: LogRecord) async throws -> StepContext {
    let connection = try Connection(url: settings.databaseURL)
    try connection.setTimeouts(statement: settings.statementTimeout, lock: settings.lockTimeout)
    return StepContext(
        settings: settings, connection: connection, templates: try TemplateSet(directory: settings.templatesDirectory),
        now: testNow, logger: log.logger, outputFolder: try makeTemporaryDirectory("copy"))
}
