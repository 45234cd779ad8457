/// What one `checkout-nightly forget` changed (or, in a dry run, would change): counts only, never the data.
public struct ErasureReport: Sendable, Equatable, Codable {
    /// Customer ids the request resolved to (the order service's row and the ledger's).
    public var customers = 0
    /// Recovery-ledger rows whose recipient, subject and token hashes were replaced by the marker.
    public var messagesCleared = 0
    /// Outbox rows not dispatched yet that were cancelled.
    public var outboxCancelled = 0
    /// Outbox rows whose recipient, subject, bodies and headers were replaced by the marker.
    public var outboxCleared = 0
    /// Unredeemed discount codes revoked.
    public var codesRevoked = 0
    /// Rendered message files removed from the releases under the output folder.
    public var filesRemoved = 0
    /// Rows of the review pages and their CSV files (in every release) that named one of the messages.
    public var reviewRowsRemoved = 0
    /// Releases searched for files.
    public var releasesSearched = 0

    public init() {}

    /// True when nothing was (or would be) changed: the customer was already forgotten, or never messaged.
    public var changedNothing: Bool {
        messagesCleared + outboxCancelled + outboxCleared + codesRevoked + filesRemoved + reviewRowsRemoved == 0
    }

    /// The lines `forget` prints; a dry run says what would be changed.
    public func lines(dryRun: Bool) -> [String] {
        func line(_ what: String, _ verb: String, _ count: Int) -> String {
            "  \(what) \(dryRun ? "to be " + verb : verb): \(count)"
        }
        return [
            (dryRun ? "Dry run: nothing was changed. " : "") + "Customer ids found: \(customers)",
            line("recovery-ledger rows", "cleared", messagesCleared),
            line("outbox rows not dispatched yet", "cancelled", outboxCancelled),
            line("outbox rows", "cleared", outboxCleared),
            line("unredeemed discount codes", "revoked", codesRevoked),
            line("message files (releases searched: \(releasesSearched))", "removed", filesRemoved),
            line("review page and CSV rows", "removed", reviewRowsRemoved),
        ] + (changedNothing ? ["  Nothing of this customer is left to erase."] : [])
    }
}
