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

/// A CSV download parsed back (RFC 4180: quoted fields may hold commas, quotes and line breaks), header first.
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
    return rows
}

/// The value of the headline figure labelled `label` on a page (the line after its label).
func statValue(_ html: String, _ label: String) throws -> String? {
    for text in try HTMLDocument(html: html).texts(of: "div") {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.first == label, lines.count > 1 { return lines[1] }
    }
    return nil
}

/// A stand-in for the recovery ledger of the recovery pass (issue 4), with the columns the report queries read,
/// created only where it does not exist yet.
func createRecoveryLedgerStandIn(_ connection: Connection) throws {
    try connection.executeScript(
        """
        CREATE TABLE IF NOT EXISTS checkout_nightly.discount_codes (code text PRIMARY KEY, percent numeric NOT NULL);
        CREATE TABLE IF NOT EXISTS checkout_nightly.recovery_messages (
            id bigserial PRIMARY KEY, cart_session_id uuid NOT NULL, stage text NOT NULL, sent_at timestamptz NOT NULL,
            clicked_at timestamptz, converted_at timestamptz, converted_order_id uuid, discount_code text);
        """)
}

/// One recovery message for the stand-in ledger; a converted one gets its order (total in `currency`) and code.
func insertRecoveryMessage(
    _ connection: Connection, now: Date, stage: String, hoursAgo: Double, clicked: Bool,
    converted: (total: Decimal, currency: String, percent: Int)?
) throws {
    let sent = now.addingTimeInterval(-hoursAgo * 3600)
    var orderID: UUID?
    var code: String?
    if let converted {
        let order = UUID()
        orderID = order
        code = "CODE-\(order.uuidString.prefix(8))"
        try connection.execute(
            """
            INSERT INTO orders (id, order_number, customer_id, status, total_amount, currency, discount_code, created_at)
            VALUES ($1::uuid, $2::text, $1::uuid, 'paid', $3::numeric, $4::text, $5::text, $6::timestamptz)
            """,
            [order, "ORD-R-\(order.uuidString.prefix(8))", converted.total, converted.currency, code, sent.addingTimeInterval(1800)])
        try connection.execute(
            "INSERT INTO checkout_nightly.discount_codes (code, percent) VALUES ($1::text, $2::numeric)", [code, converted.percent])
    }
    try connection.execute(
        """
        INSERT INTO checkout_nightly.recovery_messages
            (cart_session_id, stage, sent_at, clicked_at, converted_at, converted_order_id, discount_code)
        VALUES ($1::uuid, $2::text, $3::timestamptz, $4::timestamptz, $5::timestamptz, $6::uuid, $7::text)
        """,
        [UUID(), stage, sent, clicked ? sent.addingTimeInterval(600) : nil,
         orderID == nil ? nil : sent.addingTimeInterval(1800), orderID, code])
}
