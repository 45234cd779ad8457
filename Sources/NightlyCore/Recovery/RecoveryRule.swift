/// The rules of cart recovery in the order `RecoveryPlanner` applies them: the first that applies decides (and
/// is what the counts report); a cart no rule stops gets its due stage.
public enum RecoveryRule: String, CaseIterable, Sendable, Codable {
    /// Idle past `recovery_abandon_after`: the cart is marked abandoned.
    case abandonment
    /// A message stage is due, not sent yet and later than every stage sent; else the cart waits.
    case stageDue = "stage_due"
    case guest
    /// An order from any of the customer's carts after this cart's last activity.
    case orderedSince = "ordered_since"
    case unsubscribed
    case consent
    case bounced
    /// An e-mail stage needs an RFC 5321 mailbox (`Mailbox`); push does not.
    case address
    /// At least one line in stock.
    case stock
    /// `recovery_min_items`, `recovery_min_cart_value` (lines in stock).
    case minimum
    /// `recovery_customer_cooldown`.
    case cooldown
    /// `recovery_max_lateness`.
    case lateness
    /// `recovery_quiet_hours` in the customer's zone.
    case quietHours = "quiet_hours"
    /// `recovery_holdout_percent`: the customer is in the holdout (`RecoveryHoldout`); last, so that a held-out
    /// cart is recorded exactly when a message would have been sent.
    case holdout
}
