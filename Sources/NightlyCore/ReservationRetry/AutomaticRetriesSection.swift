import Foundation

/// The reconciliation page's "Automatic retries" section (plan task 2.6): what the retry pass has pending, what it
/// confirmed and which errors it gave up on, built from the `reservation_retry_*` report queries.
public struct AutomaticRetriesSection: Sendable {
    public var stats: [Stat]
    public var pending: DataTable
    public var confirmed: DataTable
    public var exhausted: DataTable

    public init(data: ReportData, now: Date) throws {
        let totals = try data.table("reservation_retry_totals").single()
        let errors24h = try totals.int("errors_24h")
        let errors30d = try totals.int("errors_30d")
        let exhaustedCount = try totals.int("exhausted")
        func share(_ part: Int, of whole: Int) -> String { whole > 0 ? Formatting.percent(Double(part) / Double(whole)) : "no data" }
        stats = [
            Stat(
                label: "Confirmed by retry, last 24 h", value: share(try totals.int("confirmed_24h"), of: errors24h),
                detail: "\(Formatting.integer(try totals.int("confirmed_24h"))) of \(Formatting.integer(errors24h)) failed confirmations taken in."),
            Stat(
                label: "Confirmed by retry, last 30 days", value: share(try totals.int("confirmed_30d"), of: errors30d),
                detail: "\(Formatting.integer(try totals.int("confirmed_30d"))) of \(Formatting.integer(errors30d)) failed confirmations taken in."),
            Stat(
                label: "Waiting for their next attempt", value: Formatting.integer(try totals.int("pending")),
                detail: "Retried on schedule: 5 min, 15 min, 1 h, 6 h, 24 h after the previous attempt by default."),
            Stat(
                label: "Need a person", value: Formatting.integer(exhaustedCount),
                detail: exhaustedCount > 0 ? "The retries gave up on these: follow the runbook for each." : "Target: 0. Nothing waits for a person.",
                tone: exhaustedCount > 0 ? .bad : .good),
        ]

        pending = DataTable(
            id: "reconciliation-retries-pending", caption: "Errors waiting for their next attempt, by attempt",
            columns: [TableColumn("Next attempt", numeric: true), TableColumn("Errors", numeric: true),
                      TableColumn("First due"), TableColumn("Last due")],
            rows: try data.table("reservation_retry_pending").records.map { record in
                let firstDue = try record.date("first_due")
                return [TableCell(String(try record.int("attempt"))), TableCell(Formatting.integer(try record.int("errors"))),
                        TableCell(Formatting.timestamp(firstDue), tone: firstDue <= now ? .stale : nil),
                        TableCell(Formatting.timestamp(try record.date("last_due")))]
            },
            emptyText: "No error waits for a retry.")

        confirmed = DataTable(
            id: "reconciliation-retries-confirmed", caption: "Errors confirmed by retry, by the attempt that confirmed them",
            columns: [TableColumn("Attempt", numeric: true), TableColumn("Last 24 h", numeric: true),
                      TableColumn("Share, 24 h", numeric: true), TableColumn("Last 30 days", numeric: true),
                      TableColumn("Share, 30 days", numeric: true)],
            rows: try data.table("reservation_retry_confirmed").records.map { record in
                let day = try record.int("confirmed_24h")
                let month = try record.int("confirmed_30d")
                return [TableCell(String(try record.int("attempt"))), TableCell(Formatting.integer(day)),
                        TableCell(share(day, of: errors24h)), TableCell(Formatting.integer(month)),
                        TableCell(share(month, of: errors30d))]
            },
            emptyText: "No error was confirmed by retry in the last 30 days.")

        exhausted = DataTable(
            id: "reconciliation-retries-exhausted", caption: "Errors the retries gave up on, newest first: they need a person",
            columns: [TableColumn("Order"), TableColumn("Customer"), TableColumn("Reservation", code: true),
                      TableColumn("SKU"), TableColumn("Warehouse"), TableColumn("Reason"), TableColumn("Last answer"),
                      TableColumn("Attempts", numeric: true), TableColumn("Gave up")],
            rows: try data.table("reservation_retry_exhausted").records.map { record in
                [TableCell(try record.textIfPresent("order_number") ?? record.text("order_id")),
                 TableCell(try record.textIfPresent("customer_email").map(EmailMask.mask) ?? "unknown customer"),
                 TableCell(try record.text("reservation_id")), TableCell(try record.textIfPresent("sku") ?? ""),
                 TableCell(try record.textIfPresent("warehouse_id") ?? ""), TableCell(try record.text("reason"), tone: .bad),
                 TableCell(try record.textIfPresent("last_answer") ?? ""), TableCell(String(try record.int("attempts"))),
                 TableCell(Formatting.timestamp(try record.date("exhausted_at")))]
            },
            emptyText: "The retries gave up on no error: nothing waits for a person.", shownRows: ReconciliationPage.shownRows)
    }

    public var tables: [DataTable] { [pending, confirmed, exhausted] }
}
