/// Why a cart whose stage is due, of a customer who may be contacted, gets no message now. The stage is not
/// recorded, so the cart stays eligible for its later stages.
public enum RecoveryHold: String, CaseIterable, Sendable {
    /// The stage fell due more than `recovery_max_lateness` ago: it is skipped, never sent late.
    case tooLate = "too_late"
    /// It is quiet hours in the customer's time zone: the cart waits for the first run after the window, which
    /// sends the latest stage then due.
    case quietHours = "quiet_hours"
}
