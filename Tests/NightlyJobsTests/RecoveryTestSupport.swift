import Foundation
import Logging
import NightlyCore
@testable import NightlyJobs
import Postgres
import Rendering
import Testing
import TestSupport

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

let hour: TimeInterval = 3600
let minute: TimeInterval = 60
let day: TimeInterval = 86400

/// Runs the recovery pass through the runner, as `run --only recovery` does, and returns its report.
@discardableResult
func runRecovery(
    _ database: TestDatabase, now: Date, output: URL? = nil, pass: RecoveryPass = RecoveryPass(),
    templates: String = Repository.templates, _ configure: (inout Settings) -> Void = { _ in }
) async throws -> StepReport {
    var settings = testSettings(
        database: database, output: try output ?? makeTemporaryDirectory("recovery"), now: now, steps: [.recovery])
    settings.templatesDirectory = templates
    configure(&settings)
    let reports = try await NightlyRun(settings: settings, steps: [pass], logger: quietLogger).execute()
    return try #require(reports.first)
}

/// Runs two copies of the recovery pass at once on connections of their own, without the runner's advisory lock,
/// and returns what each counted.
func runTwoRecoveryCopies(
    _ database: TestDatabase, _ configure: (inout Settings) -> Void = { _ in }
) async throws -> [RecoveryCounts] {
    let templates = try TemplateSet(directory: Repository.templates)
    var configured = testSettings(database: database, output: try makeTemporaryDirectory("copies"), now: testNow, steps: [.recovery])
    configure(&configured)
    let settings = configured
    return try await withThrowingTaskGroup(of: RecoveryCounts.self) { group in
        for _ in 0..<2 {
            group.addTask {
                let context = StepContext(
                    settings: settings, connection: try database.connect(), templates: templates, now: testNow,
                    logger: quietLogger, outputFolder: try makeTemporaryDirectory("copy"))
                return try await RecoveryPass().run(context).counts
            }
        }
        return try await group.reduce(into: []) { $0.append($1) }
    }
}

extension Fixtures {
    /// The stages recorded for `cart`, in stage order.
    func stages(_ cart: UUID) throws -> [RecoveryStage] {
        try connection.query(
            SQLStatement("SELECT stage FROM checkout_nightly.recovery_messages WHERE cart_id = $1::uuid", source: "test"),
            [cart]
        ) { RecoveryStage(rawValue: try $0.decode("stage")) }.compactMap { $0 }.sorted()
    }
}

/// Every recorded message as `cart|stage`, plus the checks that hold whatever happened: one outbox row per
/// message, one code per e-mail and no code without its message.
func recordedMessages(_ database: TestDatabase) throws -> Set<String> {
    let shop = try Fixtures(database)
    #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.notification_outbox")
        == shop.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages"))
    #expect(try shop.count("SELECT count(*) AS n FROM checkout_nightly.discount_codes")
        == shop.count("SELECT count(*) AS n FROM checkout_nightly.recovery_messages WHERE channel = 'email'"))
    #expect(try shop.count("""
        SELECT count(*) AS n FROM checkout_nightly.discount_codes AS d
        WHERE NOT EXISTS (SELECT 1 FROM checkout_nightly.recovery_messages AS m WHERE m.code = d.code)
        """) == 0)
    return Set(try shop.connection.query(
        SQLStatement("SELECT cart_id::text || '|' || stage AS key FROM checkout_nightly.recovery_messages", source: "test")
    ) { try $0.decode("key", as: String.self) })
}

/// Throws once, at `step` of the first send after `afterCommits` messages were committed.
final class KillSwitch: @unchecked Sendable {
    struct Killed: Error {}

    private let step: RecoverySendStep
    private let afterCommits: Int
    private let lock = NSLock()
    private var commits = 0
    private var fired = false

    init(at step: RecoverySendStep, afterCommits: Int) {
        self.step = step
        self.afterCommits = afterCommits
    }

    var hook: @Sendable (RecoverySendStep) throws -> Void {
        { [self] current in try check(current) }
    }

    private func check(_ current: RecoverySendStep) throws {
        lock.lock()
        defer { lock.unlock() }
        if current == .committed { commits += 1 }
        let reached = current == .committed ? commits > afterCommits : commits >= afterCommits
        if !fired, current == step, reached {
            fired = true
            throw Killed()
        }
    }
}

