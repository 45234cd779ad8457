import Foundation
import Testing
import TestSupport

/// `scripts/bench.sh` is a benchmark, not a timed test: this only checks, on a tiny database, that it runs to the
/// end and prints what docs/performance.md quotes.
@Suite("The benchmark script")
struct BenchScriptTests {
    private let script = Repository.root.appendingPathComponent("scripts/bench.sh").path

    @Test func runsOnATinyDatabaseAndPrintsEveryStepAndTheFloor() throws {
        let result = try runProcess(
            "/bin/bash", [script, "200"], environment: ["CHECKOUT_NIGHTLY_BIN": try checkoutNightlyBinary()],
            currentDirectory: Repository.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("== first night"))
        #expect(result.stdout.contains("== the run after it, nothing due"))
        #expect(result.stdout.contains("== 15 minutes later"))
        for step in ["stuck-carts", "expired-sessions", "recovery", "reports", "publish"] {
            #expect(result.stdout.contains("  \(step) "), "no line for \(step)")
        }
        #expect(result.stdout.contains("== the recovery pass alone a minute later, nothing due"))
        #expect(result.stdout.contains("== the recovery pass alone, 15 minutes later"))
        #expect(result.stdout.components(separatedBy: "MB peak resident").count == 6, "one memory line per run")
        #expect(result.stdout.components(separatedBy: "(psql)").count == 5, "a floor for two passes, recovery, reports")
    }

    @Test func aBadSizeIsRefusedWith64() throws {
        let result = try runProcess("/bin/bash", [script, "many"], currentDirectory: Repository.root)
        #expect(result.status == 64)
        #expect(result.stderr.contains("positive number of carts"))
    }
}
