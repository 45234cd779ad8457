import Foundation
import NightlyCore
import Postgres

/// Reads what the recovery rules read about one cart and explains the decision (`checkout-nightly explain`).
/// Read-only: the session is set to read-only transactions, and every statement is a SELECT the reports role of
/// `deploy/postgres/roles.sql` may run.
public struct RecoveryExplainer {
    let settings: Settings
    let queries: QueryLibrary
    let connection: Connection

    public init(settings: Settings) throws {
        self.settings = settings
        queries = QueryLibrary(directory: settings.queriesDirectory)
        connection = try Connection(url: settings.databaseURL, connectTimeout: settings.connectTimeout)
        try connection.execute("SET default_transaction_read_only = on")
    }

    /// Explains `cartID` at `--now` (which, unlike a run's, may lie ahead: nothing is changed) or the database's
    /// clock.
    public func explain(cartID: UUID) throws -> RecoveryExplanation {
        let now = try settings.now ?? connection.queryFirst(try queries.statement("run/database_clock.sql")) {
            try $0.decode("now", as: Date.self)
        } ?? Date()
        guard var eligibility = try connection.queryFirst(try queries.statement("recovery/explain_cart.sql"), [cartID, now], {
            RecoveryExplanation.Eligibility(
                status: try $0.decodeIfPresent("status") ?? "unknown", isActive: try $0.decodeIfPresent("is_active") ?? false,
                hasOrder: try $0.decode("has_order_id") || $0.decode("has_order"),
                expired: try $0.decodeIfPresent("expired") ?? false, lines: try $0.decode("lines"),
                linesInStock: try $0.decode("lines_in_stock"), nullColumns: try $0.decode("null_columns"))
        }) else {
            throw PlainMessage("there is no cart \(cartID.uuidString.lowercased()) in cart_sessions")
        }
        let planner = RecoveryPlanner(
            settings: settings.recovery,
            holdout: try RecoveryHoldoutReader.read(queries, connection, percent: settings.recovery.holdoutPercent))
        // Read as the pass reads it: the cart's row, then, when a message is to be sent, its lines.
        var cart: RecoveryCart?
        do {
            cart = try RecoveryCandidates.read(
                queries, connection, cartID: cartID, now: now, minimumIdle: 0, settings: settings.recovery)
            if let cart, case .send = planner.trace(cart, now: now).decision {
                _ = try connection.query(try queries.statement("recovery/cart_lines.sql"), [[cartID]]) {
                    try RecoveryCandidates.line(from: $0)
                }
            }
        } catch let error as PostgresError where error.kind == .decoding {
            eligibility.unreadable = "\(error)"
            cart = nil
        }
        let messages = try connection.query(try queries.statement("recovery/explain_messages.sql"), [cartID, now]) { row in
            RecoveryExplanation.Message(
                // Anything but push is masked as an address.
                // No channel: a held-out row.
                stage: try row.decode("stage"),
                channel: try row.decodeIfPresent("channel", as: String.self).map { $0 == "push" ? .push : .email },
                recipient: try row.decode("recipient"), sentAt: try row.decode("created_at"),
                codeState: try row.decodeIfPresent("code_state"), clicked: try row.decode("clicked"),
                converted: try row.decode("converted"))
        }
        return RecoveryExplanation(
            cartID: cartID, now: now, eligibility: eligibility, cart: cart,
            planner: planner, messages: messages)
    }
}
