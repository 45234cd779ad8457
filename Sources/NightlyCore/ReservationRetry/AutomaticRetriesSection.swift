import Foundation

/// The reconciliation page's "Automatic retries" section (plan task 2.6): what the retry pass has pending, what it
/// confirmed and which errors it gave up on, built from the `reservation_retry_*` report queries.
public struct AutomaticRetriesSection: Sendable {
    public var stats: [Stat]
    public var pending: DataTable
    public var confirmed: DataTable
    public var exhausted: DataTable

    public init(reports: Reports, now: Date) {
        let totals = reports.retryTotals
        stats = [
            Stat(
                label: "Confirmed by retry, last 24 h", value: totals.confirmedShare24h.percentText(),
                detail: "\(Formatting.integer(totals.confirmed24h)) of \(Formatting.integer(totals.errors24h)) failed confirmations taken in."),
            Stat(
                label: "Confirmed by retry, last 30 days", value: totals.confirmedShare30d.percentText(),
                detail: "\(Formatting.integer(totals.confirmed30d)) of \(Formatting.integer(totals.errors30d)) failed confirmations taken in."),
            Stat(
                label: "Waiting for their next attempt", value: Formatting.integer(totals.pending),
                detail: "Retried on schedule: 5 min, 15 min, 1 h, 6 h, 24 h after the previous attempt by default."),
            Stat(
                label: "Need a person", value: Formatting.integer(totals.exhausted),
                detail: totals.exhausted > 0 ? "The retries gave up on these: follow the runbook for each." : "Target: 0. Nothing waits for a person.",
                tone: totals.exhausted > 0 ? .bad : .good),
        ]

        pending = DataTable(
            id: "reconciliation-retries-pending", caption: "Errors waiting for their next attempt, by attempt",
            columns: [TableColumn("Next attempt", numeric: true), TableColumn("Errors", numeric: true),
                      TableColumn("First due"), TableColumn("Last due")],
            rows: reports.retryPending.map { row in
                [TableCell(String(row.attempt)), TableCell(Formatting.integer(row.errors)),
                 TableCell(Formatting.timestamp(row.firstDue), tone: row.firstDue <= now ? .stale : nil),
                 TableCell(Formatting.timestamp(row.lastDue))]
            },
            emptyText: "No error waits for a retry.")

        confirmed = DataTable(
            id: "reconciliation-retries-confirmed", caption: "Errors confirmed by retry, by the attempt that confirmed them",
            columns: [TableColumn("Attempt", numeric: true), TableColumn("Last 24 h", numeric: true),
                      TableColumn("Share, 24 h", numeric: true), TableColumn("Last 30 days", numeric: true),
                      TableColumn("Share, 30 days", numeric: true)],
            rows: reports.retryConfirmed.map { row in
                [TableCell(String(row.attempt)), TableCell(Formatting.integer(row.confirmed24h)),
                 TableCell(Ratio(row.confirmed24h, of: totals.errors24h).percentText()),
                 TableCell(Formatting.integer(row.confirmed30d)),
                 TableCell(Ratio(row.confirmed30d, of: totals.errors30d).percentText())]
            },
            emptyText: "No error was confirmed by retry in the last 30 days.")

        exhausted = DataTable(
            id: "reconciliation-retries-exhausted", caption: "Errors the retries gave up on, newest first: they need a person",
            columns: [TableColumn("Order"), TableColumn("Customer"), TableColumn("Reservation", code: true),
                      TableColumn("SKU"), TableColumn("Warehouse"), TableColumn("Reason"), TableColumn("Last answer"),
                      TableColumn("Attempts", numeric: true), TableColumn("Gave up")],
            rows: reports.retryExhausted.map { row in
                [TableCell(row.orderNumber ?? row.orderID),
                 TableCell(row.customerEmail.map(EmailMask.mask) ?? "unknown customer"),
                 TableCell(row.reservationID), TableCell(row.sku ?? ""), TableCell(row.warehouseID ?? ""),
                 TableCell(row.reason, tone: .bad), TableCell(row.lastAnswer ?? ""), TableCell(String(row.attempts)),
                 TableCell(Formatting.timestamp(row.exhaustedAt))]
            },
            emptyText: "The retries gave up on no error: nothing waits for a person.", shownRows: ReconciliationPage.shownRows)
    }

    public var tables: [DataTable] { [pending, confirmed, exhausted] }
}
