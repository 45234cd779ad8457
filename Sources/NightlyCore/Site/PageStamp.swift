import Foundation

/// What every page shows in its footer.
public struct PageStamp: Sendable {
    public var generatedAt: String
    public var runID: String

    public init(now: Date, runID: UUID) {
        generatedAt = Formatting.timestamp(now)
        self.runID = runID.uuidString.lowercased()
    }
}
