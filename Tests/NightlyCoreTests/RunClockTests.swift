import Foundation
import NightlyCore
import Testing
import TestSupport

@Suite("The run's clock is the database's; --now may replay the past, never run ahead")
struct RunClockTests {
    @Test(arguments: [(-86_400.0, true), (0, true), (RunClock.tolerance, true), (RunClock.tolerance + 0.5, false), (3600, false)])
    func fixedClockAgainstTheDatabase(_ offset: TimeInterval, _ accepted: Bool) throws {
        let database = testNow
        if accepted {
            #expect(try RunClock(databaseNow: database, fixed: database.addingTimeInterval(offset)).now == database.addingTimeInterval(offset))
        } else {
            let error = #expect(throws: ConfigurationError.self) {
                try RunClock(databaseNow: database, fixed: database.addingTimeInterval(offset))
            }
            #expect(error?.setting == "now")
            #expect(error?.message.contains("ahead of the database's clock") == true)
        }
    }

    @Test func withoutNowTheDatabaseClockRulesAndTheHostOffsetIsMeasured() throws {
        let clock = try RunClock(databaseNow: testNow, hostNow: testNow.addingTimeInterval(42), fixed: nil)
        #expect(clock.now == testNow)
        #expect(clock.hostOffset == 42)
    }
}
