import Foundation

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
