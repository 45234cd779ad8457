import Foundation
import NightlyCore
@testable import NightlyJobs
import Testing
import TestSupport

@Suite("The night's own recovery messages on the same night's pages")
struct SameNightReportsTests {
    /// Recovery stamps its messages with the run's clock; the reports of the same run count them: on the cart
    /// analytics page, in the overview's recovery rate and in the recovery metric file.
    @Test func aRunsMessagesAppearOnItsOwnPagesAndMetric() async throws {
        let shop = try Fixtures()
        for index in 0..<3 {
            try shop.cart(of: try shop.customer("C\(index)"), lastActivity: testNow.addingTimeInterval(-3 * hour))
        }
        let output = try makeTemporaryDirectory("same-night")
        try await NightlyRun(
            settings: testSettings(database: shop.database, output: output, now: testNow, steps: [.recovery, .reports]),
            logger: quietLogger
        ).execute()
        #expect(try shop.count(
            "SELECT count(*) AS n FROM checkout_nightly.recovery_messages WHERE created_at = $1::timestamptz", [testNow]) == 3)

        let site = output.appendingPathComponent("site").resolvingSymlinksInPath()
        let stages = try csvRows(site, "analytics-recovery-stages").dropFirst().map { $0.prefix(2).joined(separator: "|") }
        #expect(stages == ["first_email|3"], "the run's own messages are on its analytics page")
        let rate = try csvRows(site, "overview-success-metrics").first { $0[0] == "Cart recovery rate" }
        // 3 carts messaged, none converted yet: 0 %, where a window that ended before the run's own messages had
        // no carts and said "no data".
        #expect(rate?[2].hasPrefix("0.0") == true, "\(String(describing: rate))")
        let metrics = try String(
            contentsOf: output.appendingPathComponent("metrics/checkout_nightly_recovery.prom"), encoding: .utf8)
        #expect(metrics.contains("checkout_nightly_recovery_messages_total{stage=\"first_email\"} 3"))
    }
}
