/// The send rules the batch proves every night: each check counts rows that break one rule, so every count must
/// stay zero. Each check's SQL is `queries/selfchecks/<rawValue>.sql` and returns the offending rows.
public enum SelfCheck: String, CaseOrdered, Sendable, Codable {
    case messageAfterOrder = "message_after_order"
    case duplicateStageMessage = "duplicate_stage_message"
    case customerCooldown = "customer_cooldown"
    case codeMisuse = "code_misuse"
    case outboxLedgerMismatch = "outbox_ledger_mismatch"
    case messageToUnreachableCustomer = "message_to_unreachable_customer"

    /// The check's SQL file, relative to the queries folder.
    public var queryFile: String { "selfchecks/\(rawValue).sql" }

    /// The rule the check proves, as the overview states it.
    public var rule: String {
        switch self {
        case .messageAfterOrder: "No message recorded for a cart after it had an order"
        case .duplicateStageMessage: "At most one message per cart and stage"
        case .customerCooldown: "At most one message per customer within the cooldown"
        case .codeMisuse: "Every code redeemed at most once, and only by its customer"
        case .outboxLedgerMismatch: "Every outbox row has its ledger row, and every ledger row its outbox row"
        case .messageToUnreachableCustomer: "No message to a customer who had unsubscribed, bounced or not consented"
        }
    }
}
