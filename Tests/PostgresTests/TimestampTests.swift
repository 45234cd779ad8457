import Foundation
import Postgres
import Testing
import TestSupport

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

    @Test func formatsWithMicroseconds() throws {
        #expect(try PostgresTimestamp.format(Date(timeIntervalSince1970: 1_795_572_000.25)) == "2026-11-25T02:00:00.250000Z")
    }

    /// A date PostgreSQL cannot hold (one a `Retry-After` of 9223372036854775807 s made) is an encoding error
    /// naming the statement, never a trap, and nothing reaches the server; the range's ends round-trip.
    @Test func aDateOutsideTimestamptzIsAnEncodingErrorNotACrash() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let statement = SQLStatement("SELECT $1::timestamptz AS t", source: "queries/example.sql")
        for seconds in [9_223_372_036_854_775_807.0, 9_223_372_036_855, -62_135_596_801, .infinity, -.infinity, .nan] {
            let date = Date(timeIntervalSince1970: seconds)
            let error = #expect(throws: PostgresError.self) { try connection.execute(statement, [date]) }
            #expect(error?.kind == .encoding && error?.description.contains("queries/example.sql") == true, "\(seconds)")
            let piped = #expect(throws: PostgresError.self) { try connection.pipeline { $0.query(statement, [[date]]) } }
            #expect(piped?.kind == .encoding, "\(seconds) in a pipeline")
        }
        let epoch = SQLStatement("SELECT extract(epoch FROM $1::timestamptz)::float8 AS s", source: "queries/epoch.sql")
        for seconds in [PostgresTimestamp.range.lowerBound, PostgresTimestamp.range.upperBound] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(try connection.queryFirst(epoch, [date]) { try $0.decode("s", as: Double.self) } == seconds)
        }
    }
}
