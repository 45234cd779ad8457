import Foundation
import Postgres
import Testing

@Suite("PostgreSQL timestamp text")
struct TimestampTests {
    @Test(arguments: [
        ("2026-11-25 02:00:00+00", 1_795_572_000.0),
        ("2026-11-25 02:00:00.5+00", 1_795_572_000.5),
        ("2026-11-25 03:30:00+01:30", 1_795_572_000.0),
        ("2026-11-25T02:00:00Z", 1_795_572_000.0),
        ("1970-01-01 00:00:00+00", 0.0),
        ("2024-02-29 12:00:00-05", 1_709_226_000.0),
    ])
    func parses(_ text: String, _ seconds: Double) {
        #expect(PostgresTimestamp.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["", "2026-13", "yesterday", "2026-11-25 02:00:00+0x"])
    func rejects(_ text: String) {
        #expect(PostgresTimestamp.parse(text) == nil)
    }

    @Test func formatsWithMicroseconds() {
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 1_795_572_000.25)) == "2026-11-25T02:00:00.250000Z")
    }
}
