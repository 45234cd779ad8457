import Foundation
import NightlyCore

/// Runs a pass's batches one after another until a batch reports that no work is left or the pass's time limit
/// has passed. The limit is checked between batches only, so the batch in progress always commits or rolls back
/// whole; a pass stopped by the limit reports `.stoppedEarly` and the next run carries on where it stopped.
struct BatchLoop {
    let timeLimit: Duration

    /// Calls `batch` until it returns false (nothing left) or the time limit has passed.
    func run(_ batch: () throws -> Bool) rethrows -> StepOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        while try batch() {
            if start.duration(to: clock.now) >= timeLimit { return .stoppedEarly }
        }
        return .succeeded
    }
}

/// How the passes list ids in their logs.
enum PassLog {
    /// How many ids a dry run or a batch summary lists.
    static let sampleSize = 5

    /// Ids as one log value: lower-case, comma-separated.
    static func ids(_ ids: some Sequence<UUID>) -> String {
        ids.map { $0.uuidString.lowercased() }.joined(separator: ",")
    }
}
