/// What the cart recovery pass counts in a run.
public struct RecoveryCounts: StepCounts {
    /// Carts the pass read (active, with items, no order).
    public var candidates = 0
    /// Carts with no stage due yet.
    public var waiting = 0
    public var sentFirstEmail = 0
    public var sentPush = 0
    public var sentSecondEmail = 0
    public var suppressedGuest = 0
    public var suppressedNoConsent = 0
    public var suppressedUnsubscribed = 0
    public var suppressedBounced = 0
    public var suppressedBelowMinimum = 0
    public var suppressedCustomerCooldown = 0
    /// Due e-mail stages whose address is not a mailbox: no code issued, the stage left unsent.
    public var suppressedInvalidAddress = 0
    public var codesIssued = 0
    public var codeCollisions = 0
    public var abandoned = 0
    /// Carts that changed between the read and the abandonment (their version moved on).
    public var abandonConflicts = 0
    /// Due carts left for the next run by the per-run message cap.
    public var deferredRunCap = 0
    /// Due carts another transaction held (or whose customer stayed locked past the lock timeout).
    public var skippedLocked = 0
    /// Due carts that changed before the send transaction read them again.
    public var skippedChanged = 0
    /// Due carts whose message another copy of the pass recorded first.
    public var skippedAlreadySent = 0
    /// Carts with a row that cannot be read (a NULL where a value is needed, a value of the wrong type): skipped,
    /// each named in a log line, while the pass goes on with the others.
    public var skippedMalformed = 0
    /// Due carts of a customer who ordered (from any cart) after the cart's last activity.
    public var suppressedOrderedSince = 0
    /// Due carts with no line in stock: no message, no code; looked at again next run.
    public var suppressedOutOfStock = 0
    /// Due stages that fell due more than `recovery_max_lateness` ago: skipped; later stages stay eligible.
    public var skippedTooLate = 0
    /// Due carts whose customer is in quiet hours (`recovery_quiet_hours`, local time): sent after the window.
    public var waitingQuietHours = 0
    /// Due carts of a customer in the holdout (`recovery_holdout_percent`): recorded without a message.
    public var heldOut = 0

    public init() {}

    /// Counts one message sent at `stage`.
    public mutating func countSent(_ stage: RecoveryStage) {
        switch stage {
        case .firstEmail: sentFirstEmail += 1
        case .push: sentPush += 1
        case .secondEmail: sentSecondEmail += 1
        case .abandon: break
        }
    }

    /// Counts one cart that is due but may not be contacted.
    public mutating func countSuppressed(_ reason: RecoverySuppression) {
        switch reason {
        case .guest: suppressedGuest += 1
        case .noConsent: suppressedNoConsent += 1
        case .unsubscribed: suppressedUnsubscribed += 1
        case .bounced: suppressedBounced += 1
        case .belowMinimum: suppressedBelowMinimum += 1
        case .customerCooldown: suppressedCustomerCooldown += 1
        case .invalidAddress: suppressedInvalidAddress += 1
        case .orderedSince: suppressedOrderedSince += 1
        case .outOfStock: suppressedOutOfStock += 1
        }
    }

    /// Counts one due cart held back for now.
    public mutating func countHeld(_ reason: RecoveryHold) {
        switch reason {
        case .tooLate: skippedTooLate += 1
        case .quietHours: waitingQuietHours += 1
        }
    }

    /// Counts one due cart the send transaction did not send.
    public mutating func countNotSent(_ reason: RecoveryNotSent) {
        switch reason {
        case .suppressed(let suppression): countSuppressed(suppression)
        case .locked: skippedLocked += 1
        case .changed: skippedChanged += 1
        case .alreadySent: skippedAlreadySent += 1
        case .malformed: skippedMalformed += 1
        }
    }

    /// Messages sent in all stages.
    public var sent: Int { sentFirstEmail + sentPush + sentSecondEmail }
}

/// Why the send transaction did not send a planned message.
public enum RecoveryNotSent: Sendable, Equatable {
    /// The re-check under lock found a reason not to contact the customer.
    case suppressed(RecoverySuppression)
    /// Another transaction holds the cart, or the customer past the lock timeout.
    case locked
    /// The cart no longer qualifies or no stage is due any more.
    case changed
    /// Another copy of the pass recorded this stage first.
    case alreadySent
    /// A row of the cart cannot be read.
    case malformed
}
