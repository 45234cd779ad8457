import Foundation
import NightlyCore
import Postgres

/// Reads the carts recovery considers (the view `checkout_nightly.recovery_carts`, through
/// `queries/recovery/candidates.sql` and `reread.sql`) into `RecoveryCart` values.
enum RecoveryCandidates {
    /// Streams every candidate cart, oldest activity first. A row that cannot be read is handed over as a
    /// failure naming the cart (and logged), so one bad row never stops the pass for the others.
    static func each(_ context: StepContext, _ body: (Result<RecoveryCart, PostgresError>) throws -> Void) throws {
        try context.connection.stream(
            try context.queries.statement("recovery/candidates.sql"),
            [context.now, context.settings.recovery.firstEmailAfter]
        ) { row in
            do {
                try body(.success(try cart(from: row, regionZones: context.settings.recovery.regionTimeZones)))
            } catch let error as PostgresError where error.kind == .decoding {
                context.logger.warning(
                    "cart skipped: a row of it cannot be read (a NULL or a value of the wrong type); the other carts go on",
                    metadata: ["step": "recovery", "cart": "\((try? row.decodeIfPresent("id", as: String.self)).flatMap { $0 } ?? "unknown")", "error": "\(error)"])
                try body(.failure(error))
            }
        }
    }

    /// One cart if it is active, has items, has no order, has not expired and has been idle `minimumIdle` at `now`.
    static func read(
        _ queries: QueryLibrary, _ connection: Connection, cartID: UUID, now: Date, minimumIdle: TimeInterval,
        settings: RecoverySettings
    ) throws -> RecoveryCart? {
        try connection.queryFirst(
            try queries.statement("recovery/reread.sql"), [now, minimumIdle, [cartID]]
        ) { try cart(from: $0, regionZones: settings.regionTimeZones) }
    }

    /// A cart as `candidates.sql` (streamed to plan) and `reread.sql` (in the send transaction) read it; `regionZones` is
    /// `recovery_time_zones`, for customers without `customers.time_zone`.
    static func cart(from row: Row, regionZones: [String: TimeZone]) throws -> RecoveryCart {
        let customer = try row.decodeIfPresent("customer_id", as: UUID.self).map { id in
            // A production table may hold NULL where the demo's does not: no name greets without one, no locale
            // falls back to the default, unknown consent or push permission counts as none.
            let locale: String = try row.decodeIfPresent("locale") ?? ""
            return RecoveryCustomer(
                id: id, email: try row.decodeIfPresent("email") ?? "", firstName: try row.decodeIfPresent("first_name") ?? "",
                locale: locale,
                marketingOptIn: try row.decodeIfPresent("marketing_opt_in") ?? false,
                unsubscribed: try row.decode("unsubscribed"), bounced: try row.decode("bounced"),
                pushEnabled: try row.decodeIfPresent("push_enabled") ?? false,
                lastMessageAt: try row.decodeIfPresent("last_message_at"),
                timeZone: CustomerTimeZone.resolve(
                    column: try row.decodeIfPresent("time_zone"), locale: locale, regionZones: regionZones))
        }
        return RecoveryCart(
            id: try row.decode("id"), version: try row.decode("version"), currency: try row.decode("currency"),
            lastActivity: try row.decode("updated_at"), itemCount: try row.decode("pieces"),
            value: try row.decode("value"), customer: customer,
            sentStages: Set(try row.decode("sent_stages", as: [String].self).compactMap(RecoveryStage.init(rawValue:))),
            orderedSince: try row.decode("ordered_since"))
    }

    /// One line of a cart as `cart_lines.sql` reads it.
    static func line(from row: Row) throws -> RecoveryLine {
        RecoveryLine(
            name: try row.decode("product_name"), quantity: try row.decode("quantity"),
            unitPrice: try row.decode("unit_price"), imageURL: try row.decodeIfPresent("image_url"),
            available: try row.decode("available"))
    }
}
