import Foundation

/// The runbook page: `docs/runbook.md` shown as preformatted text (Markdown reads well as it is), so the
/// reconciliation page's link works offline.
public struct RunbookPage: Sendable {
    public var stamp: PageStamp
    public var markdown: String

    public init(now: Date, runID: UUID, markdown: String) {
        stamp = PageStamp(now: now, runID: runID)
        self.markdown = markdown
    }
}
