/// What one run of the retention step cleared and removed (or, in a dry run, would).
public struct RetentionCounts: Sendable, Equatable, Codable {
    /// Dispatched outbox rows whose content was cleared.
    public var outboxContentsCleared = 0
    /// Recovery-ledger rows whose personal fields were cleared.
    public var recoveryMessagesCleared = 0
    /// Releases removed: beyond `keep_releases` or older than `retention_releases`.
    public var releasesRemoved = 0
    /// Rendered message files removed from the releases that stay, because their message is older than
    /// `retention_releases` (carried over by runs that do not render e-mails).
    public var reviewCopiesRemoved = 0

    public init(
        outboxContentsCleared: Int = 0, recoveryMessagesCleared: Int = 0, releasesRemoved: Int = 0,
        reviewCopiesRemoved: Int = 0
    ) {
        self.outboxContentsCleared = outboxContentsCleared
        self.recoveryMessagesCleared = recoveryMessagesCleared
        self.releasesRemoved = releasesRemoved
        self.reviewCopiesRemoved = reviewCopiesRemoved
    }

    /// The counts by name, for the run ledger and `checkout_nightly_step_items{step="retention"}`.
    public var counts: [String: Int] {
        [
            "outbox_contents_cleared": outboxContentsCleared, "recovery_messages_cleared": recoveryMessagesCleared,
            "releases_removed": releasesRemoved, "review_copies_removed": reviewCopiesRemoved,
        ]
    }
}
