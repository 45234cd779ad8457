/// What one run of the retention step cleared and removed (or, in a dry run, would). As step counts (run
/// ledger, log line, `checkout_nightly_step_items{step="retention"}`): `outbox_contents_cleared`,
/// `recovery_messages_cleared`, `releases_removed`, `review_copies_removed`.
public struct RetentionCounts: StepCounts {
    /// Dispatched outbox rows whose content was cleared.
    public var outboxContentsCleared = 0
    /// Recovery-ledger rows whose personal fields were cleared.
    public var recoveryMessagesCleared = 0
    /// Releases removed: beyond `keep_releases` or older than `retention_releases`.
    public var releasesRemoved = 0
    /// Rendered message files removed from the releases that stay, because their message is older than
    /// `retention_releases` (carried over by runs that do not render e-mails).
    public var reviewCopiesRemoved = 0

    public init() {}
}
