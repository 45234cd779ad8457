import Testing

@testable import NightlyJobs

/// Log values come from the database (cart ids, reservation ids, reasons): none of them may break a line, forge a
/// field or reach a terminal as a control sequence.
@Suite struct LogfmtTests {
    @Test func plainValuesStayBare() {
        #expect(LogfmtLogHandler.quote("recovery") == "recovery")
        #expect(LogfmtLogHandler.quote("a\\b") == "a\\b")
    }

    @Test func spacesQuotesAndEqualsAreQuoted() {
        #expect(LogfmtLogHandler.quote("") == "\"\"")
        #expect(LogfmtLogHandler.quote("step finished") == "\"step finished\"")
        #expect(LogfmtLogHandler.quote("a=b") == "\"a=b\"")
        #expect(LogfmtLogHandler.quote("say \"hi\" \\o/") == "\"say \\\"hi\\\" \\\\o/\"")
    }

    @Test func lineBreaksAndControlCharactersAreEscaped() {
        let forged = "r-1\r\nts=2026-11-25T02:00:00Z level=info msg=\"all good\"\u{1B}[2K\u{2028}\u{85}\u{7F}\t"
        let quoted = LogfmtLogHandler.quote(forged)
        #expect(quoted == "\"r-1\\r\\nts=2026-11-25T02:00:00Z level=info msg=\\\"all good\\\"\\u001b[2K\\u2028\\u0085\\u007f\\t\"")
        #expect(!quoted.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test func aLoneControlCharacterIsQuotedToo() {
        #expect(LogfmtLogHandler.quote("a\rb") == "\"a\\rb\"")
        #expect(LogfmtLogHandler.quote("\u{1B}") == "\"\\u001b\"")
    }
}
