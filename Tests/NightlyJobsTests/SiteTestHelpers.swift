import Foundation
import Logging
import NightlyCore
import NightlyJobs
import Postgres
import Rendering
import TestSupport

/// Builds the site for `database` at `now` with the given steps and returns the published `site/` folder.
func buildSite(_ database: TestDatabase, now: Date = testNow, steps: [StepName] = [.reports]) async throws -> URL {
    let output = try makeTemporaryDirectory("site")
    try await NightlyRun(
        settings: testSettings(database: database, output: output, now: now, steps: steps),
        logger: Logger(label: "test")
    ).execute()
    return output.appendingPathComponent("site").resolvingSymlinksInPath()
}

/// The text of a site file.
func siteFile(_ site: URL, _ path: String) throws -> String {
    try String(contentsOf: site.appendingPathComponent(path), encoding: .utf8)
}

/// Every page of the site, by file name.
func sitePages(_ site: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.hasSuffix(".html") }.sorted()
}

/// A CSV download parsed back (RFC 4180: quoted fields may hold commas, quotes and line breaks), header first,
/// without its last column (the time the data was taken, checked here).
func csvRows(_ site: URL, _ id: String) throws -> [[String]] {
    let text = try siteFile(site, "csv/\(id).csv")
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text)[...]
    while let character = characters.popFirst() {
        if quoted {
            if character == "\"" {
                if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
            } else {
                field.append(character)
            }
        } else if character == "\"" {
            quoted = true
        } else if character == "," {
            row.append(field); field = ""
        } else if character == "\r\n" || character == "\n" {
            row.append(field); field = ""
            rows.append(row); row = []
        } else {
            field.append(character)
        }
    }
    // Every file ends in the column of the time its data was taken, the same ISO 8601 time on every row.
    let stamps = Set(rows.dropFirst().compactMap(\.last))
    guard rows.first?.last == CSV.takenAtColumn, stamps.count <= 1, stamps.allSatisfy({ ISO8601Timestamp.parse($0) != nil })
    else {
        throw TestEnvironmentError("csv/\(id).csv lacks the \"\(CSV.takenAtColumn)\" column of one ISO 8601 time on every row")
    }
    return rows.map { Array($0.dropLast()) }
}

/// The value of the headline figure labelled `label` on a page (the line after its label).
func statValue(_ html: String, _ label: String) throws -> String? {
    for text in try HTMLDocument(html: html).texts(of: "div") {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.first == label, lines.count > 1 { return lines[1] }
    }
    return nil
}

/// One message in the recovery ledger, as the recovery pass records it; a converted one gets its order (total in
/// `currency`) and, for e-mails whose order `usedCode`, its redeemed code.
func insertRecoveryMessage(
    _ connection: Connection, now: Date, stage: RecoveryStage, hoursAgo: Double, clicked: Bool,
    converted: (total: Decimal, currency: String, percent: Int)?, usedCode: Bool = true
) throws {
    var random = SystemRandomNumberGenerator()
    let sent = now.addingTimeInterval(-hoursAgo * 3600)
    let (cart, customer, message) = (UUID(), UUID(), UUID())
    let isEmail = stage != .push
    let code = isEmail ? DiscountCode.generate(using: &random) : nil
    let orderID = converted.map { _ in UUID() }
    if let code {
        try connection.execute(
            """
            INSERT INTO checkout_nightly.discount_codes (code, percent, customer_id, cart_id, issued_at, expires_at)
            VALUES ($1::text, $2::int, $3::uuid, $4::uuid, $5::timestamptz, $5::timestamptz + interval '7 days')
            """, [code, converted?.percent ?? 5, customer, cart, sent])
    }
    if let converted, let orderID {
        try connection.execute(
            """
            INSERT INTO orders (id, order_number, customer_id, cart_session_id, status, total_amount, currency,
                                discount_code, created_at)
            VALUES ($1::uuid, $2::text, $3::uuid, $4::uuid, 'paid', $5::numeric, $6::text, $7::text, $8::timestamptz)
            """,
            [orderID, "ORD-R-\(orderID.uuidString.prefix(8))", customer, cart, converted.total, converted.currency,
             usedCode ? code : nil, sent.addingTimeInterval(1800)])
        if usedCode {
            try connection.execute(
                "UPDATE checkout_nightly.discount_codes SET redeemed_order_id = $2::uuid, redeemed_at = $3::timestamptz WHERE code = $1::text",
                [code, orderID, sent.addingTimeInterval(1800)])
        }
    }
    func tokenHash() -> String { (0..<4).map { _ in String(format: "%016llx", random.next()) }.joined() }
    try connection.execute(
        """
        INSERT INTO checkout_nightly.recovery_messages
            (id, cart_id, customer_id, stage, channel, recipient, locale, subject, code, token_hash,
             unsubscribe_token_hash, cart_activity_at, created_at, expires_at, run_id, clicked_at, converted_order_id,
             converted_at)
        VALUES ($1::uuid, $2::uuid, $3::uuid, $4::text, $5::text, 'shopper@example.com', 'en-US', 'Your cart', $6::text,
                $7::text, $8::text, $9::timestamptz - interval '2 hours', $9::timestamptz,
                $9::timestamptz + interval '7 days', $1::uuid, $10::timestamptz, $11::uuid, $12::timestamptz)
        """,
        [message, cart, customer, stage.rawValue, isEmail ? "email" : "push", code, tokenHash(),
         isEmail ? tokenHash() : nil, sent, clicked ? sent.addingTimeInterval(600) : nil, orderID,
         orderID == nil ? nil : sent.addingTimeInterval(1800)])
}
