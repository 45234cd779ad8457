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

/// A page whose step did not run in this run (`run --only …`): it says so, so navigation never leads nowhere.
public struct NotBuiltPage: Sendable {
    public var stamp: PageStamp
    public var title: String
    public var message: String

    public init(now: Date, runID: UUID, title: String, step: StepName) {
        stamp = PageStamp(now: now, runID: runID)
        self.title = title
        message = "No run has included the \(step.rawValue) step yet, so this page was not built. A full run, or “checkout-nightly run --only \(step.rawValue)”, builds it."
    }
}
