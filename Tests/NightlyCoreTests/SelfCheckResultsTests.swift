import Foundation
import NightlyCore
import Testing
import TestSupport

@Suite("Self-check results: a gauge per check and the overview's table")
struct SelfCheckResultsTests {
    let results = SelfCheckResults(findings: [
        .customerCooldown: .init(columns: ["message_id", "seconds_apart"], rows: [["m1", "3600"], ["m2", "60"]]),
        .codeMisuse: .init(columns: ["code"], rows: []),
    ])

    @Test func everyCheckIsExportedZerosIncluded() {
        let text = MetricExposition.render(results.metricFamilies)
        for check in SelfCheck.allCases {
            let value = check == .customerCooldown ? 2 : 0
            #expect(text.contains("checkout_nightly_selfcheck_violations{check=\"\(check.rawValue)\"} \(value)\n"))
        }
    }

    @Test func zeroIsGreenAndAnythingElseRedWithALinkToTheOffendingRows() throws {
        let rows = results.summary.bodyRows.map(\.cells)
        #expect(rows.map { $0[0].text } == SelfCheck.allCases.map(\.rawValue))
        for (check, cells) in zip(SelfCheck.allCases, rows) {
            if check == .customerCooldown {
                #expect(cells[2].tone == "bad" && cells[2].links.map(\.href) == ["csv/selfcheck-customer_cooldown.csv"])
                #expect(cells[2].links.map(\.label) == ["2"])
            } else {
                #expect(cells[2].tone == "good" && cells[2].links.isEmpty && cells[2].text == "0")
            }
        }
        let detail = try #require(results.details.first { $0.csvPath == SelfCheckResults.csvPath(.customerCooldown) })
        #expect(detail.csv(takenAt: testNow)
            == "message_id,seconds_apart,Data taken at\r\nm1,3600,2025-11-25T02:00:00Z\r\nm2,60,2025-11-25T02:00:00Z\r\n")
        #expect(Set(results.tables.map(\.id)).count == results.tables.count, "every table has its own id")
    }
}
