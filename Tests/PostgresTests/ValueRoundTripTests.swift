import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Values round-trip through a real PostgreSQL")
struct ValueRoundTripTests {
    let connection: Connection

    init() throws {
        connection = try TestDatabase.create(migrated: false).connect()
    }

    @Test(arguments: ["plain", "Zoë – Über 🎧", "抹茶セット", "quotes ' \" and \\ backslash", "<b>&amp;</b>", ""])
    func text(_ value: String) throws {
        let decoded = try connection.queryFirst("SELECT $1::text AS v", [value]) { try $0.decode("v", as: String.self) }
        #expect(decoded == value)
    }

    @Test func integersBooleansAndUUIDs() throws {
        let id = UUID()
        let row = try connection.queryFirst(
            "SELECT $1::int AS small, $2::bigint AS big, $3::bool AS yes, $4::bool AS no, $5::uuid AS id",
            [Int32.min, Int64.max, true, false, id]
        ) { row in
            (try row.decode("small", as: Int32.self), try row.decode("big", as: Int64.self),
             try row.decode("yes", as: Bool.self), try row.decode("no", as: Bool.self), try row.decode("id", as: UUID.self))
        }
        #expect(row?.0 == Int32.min)
        #expect(row?.1 == Int64.max)
        #expect(row?.2 == true)
        #expect(row?.3 == false)
        #expect(row?.4 == id)
    }

    @Test(arguments: ["0.00", "12.34", "-9999999999.99", "1234567890.10", "0.01"])
    func numericAsDecimal(_ text: String) throws {
        let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
        let decoded = try connection.queryFirst("SELECT $1::numeric(12,2) AS v", [value]) {
            try $0.decode("v", as: Decimal.self)
        }
        #expect(decoded == value)
    }

    /// `numeric` text is read without Foundation's parser where it can be: the same value, written the same way.
    @Test(arguments: ["0", "0.00", "-0.00", "12.30", "-5.5", "007.10", "-0.01", "123456789012345678", "0.000000000000000001",
                      "1234567890123456789", "99999999999999999999.99", "1e3", "NaN", ".5", "5.", "1-", "--1", "1.2.3", ""])
    func numericTextReadsAsFoundationReadsIt(_ text: String) {
        let expected = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        let decoded = Decimal(postgresText: text)
        #expect(decoded == expected)
        #expect(decoded?.description == expected?.description)
    }

    @Test func timestamptzKeepsMicroseconds() throws {
        let date = Date(timeIntervalSince1970: 1_795_572_000.123456)
        let decoded = try connection.queryFirst("SELECT $1::timestamptz AS v", [date]) {
            try $0.decode("v", as: Date.self)
        }
        #expect(abs(decoded!.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
        let offset = try connection.queryFirst("SELECT '2026-11-25 03:00:00+01'::timestamptz AS v") {
            try $0.decode("v", as: Date.self)
        }
        #expect(offset == Date(timeIntervalSince1970: 1_795_572_000))
    }

    @Test func jsonbAndArrays() throws {
        let row = try connection.queryFirst(
            "SELECT $1::jsonb AS doc, $2::text[] AS tags",
            [JSONText(#"{"reason": "timeout", "ids": [1, 2], "ok": false, "none": null}"#),
             ["a,b", "quote\"d", "back\\slash", "x y", "NULL"]]
        ) { row in (try row.decode("doc", as: JSONValue.self), try row.decode("tags", as: [String].self)) }
        #expect(row?.0 == .object(["reason": .string("timeout"), "ids": .array([.number(1), .number(2)]),
                                   "ok": .bool(false), "none": .null]))
        #expect(row?.1 == ["a,b", "quote\"d", "back\\slash", "x y", "NULL"])
    }

    /// A send batch binds arrays of whole e-mails and of JSON documents, with NULL for what a message lacks.
    @Test func arraysOfOptionalsAndDocumentsUnnestElementByElement() throws {
        let texts: [String?] = ["Zoë – 🎧 <a href=\"x\">", nil, "{}", "", "a}b{,\\n", "NULL"]
        let documents = texts.map { JSONText(encoding: .object(["value": $0.map(JSONValue.string) ?? .null])) }
        let rows = try connection.query(
            "SELECT u.t, u.j FROM unnest($1::text[], $2::jsonb[]) WITH ORDINALITY AS u(t, j, n) ORDER BY u.n",
            [texts, documents]
        ) { row in (try row.decodeIfPresent("t", as: String.self), try row.decode("j", as: JSONValue.self)) }
        #expect(rows.map(\.0) == texts)
        #expect(rows.map(\.1) == texts.map { .object(["value": $0.map(JSONValue.string) ?? .null]) })
    }

    @Test func nullsAreExplicit() throws {
        let nothing: String? = nil
        _ = try connection.queryFirst(
            "SELECT $1::text AS t, NULL::int AS i, NULL::uuid AS u, NULL::timestamptz AS d, NULL::numeric AS n", [nothing]
        ) { (row: Row) throws -> Void in
            #expect(try row.decodeIfPresent("t", as: String.self) == nil)
            #expect(try row.decodeIfPresent("i", as: Int.self) == nil)
            #expect(try row.decodeIfPresent("u", as: UUID.self) == nil)
            #expect(try row.decodeIfPresent("d", as: Date.self) == nil)
            #expect(try row.decodeIfPresent("n", as: Decimal.self) == nil)
            let error = #expect(throws: PostgresError.self) { try row.decode("i", as: Int.self) }
            #expect(error?.description.contains("column \"i\" (index 1) is NULL for type Int") == true)
        }
    }

    @Test func decodingErrorNamesColumnIndexAndType() throws {
        let error = #expect(throws: PostgresError.self) {
            try connection.query("SELECT 'x' AS first, 'not a number' AS amount") { try $0.decode("amount", as: Int.self) }
        }
        #expect(error?.kind == .decoding)
        #expect(error?.description.contains("column \"amount\" (index 1)") == true)
        #expect(error?.description.contains("Int") == true)
    }
}
