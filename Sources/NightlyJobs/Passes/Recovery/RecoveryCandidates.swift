import Foundation
import NightlyCore
import Postgres

/// Reads the carts recovery considers into `RecoveryCart` values: all of them set-based (the view
/// `checkout_nightly.recovery_carts_bulk`, through `queries/recovery/candidates.sql`), one of them by key in a send
/// transaction (the view `checkout_nightly.recovery_carts`, through `reread.sql`). The two views give the same rows.
enum RecoveryCandidates {
    /// Streams every candidate cart, oldest activity first, in a read-only transaction whose settings suit one
    /// large read (`candidates_settings.sql`). A row that cannot be read is handed over as a failure naming the
    /// cart (and logged), so one bad row never stops the pass for the others. The customers' time zones are read
    /// only when quiet hours are on: nothing else decides by them before the send transaction re-reads the cart.
    static func each(_ context: StepContext, _ body: (Result<RecoveryCart, PostgresError>) throws -> Void) throws {
        let settings = try context.queries.statement("recovery/candidates_settings.sql")
        let candidates = try context.queries.statement("recovery/candidates.sql")
        var decoder = RecoveryCartDecoder(regionZones: context.settings.recovery.regionTimeZones)
        try context.connection.transaction(readOnly: true, maxAttempts: 1) { connection in
            try connection.execute(settings)
            let recovery = context.settings.recovery
            try connection.stream(candidates, [context.now, recovery.firstEmailAfter, recovery.quietHours != nil]) { row in
                do {
                    try body(.success(try decoder.cart(from: row)))
                } catch let error as PostgresError where error.kind == .decoding {
                    context.logger.warning(
                        "cart skipped: a row of it cannot be read (a NULL or a value of the wrong type); the other carts go on",
                        metadata: ["step": "recovery", "cart": "\((try? row.decodeIfPresent("id", as: String.self)).flatMap { $0 } ?? "unknown")", "error": "\(error)"])
                    try body(.failure(error))
                }
            }
        }
    }

    /// One cart if it is active, has items, has no order, has not expired and has been idle `minimumIdle` at `now`.
    static func read(
        _ queries: QueryLibrary, _ connection: Connection, cartID: UUID, now: Date, minimumIdle: TimeInterval,
        settings: RecoverySettings
    ) throws -> RecoveryCart? {
        var decoder = RecoveryCartDecoder(regionZones: settings.regionTimeZones)
        return try connection.queryFirst(
            try queries.statement("recovery/reread.sql"), [now, minimumIdle, [cartID]]
        ) { try decoder.cart(from: $0) }
    }

    /// One line of a cart as `cart_lines.sql` reads it.
    static func line(from row: Row) throws -> RecoveryLine {
        RecoveryLine(
            name: try row.decode("product_name"), quantity: try row.decode("quantity"),
            unitPrice: try row.decode("unit_price"), imageURL: try row.decodeIfPresent("image_url"),
            available: try row.decode("available"))
    }
}
