import Foundation

/// What the self-checks found in one run: the offending rows of every check. Gives the gauge per check and the
/// overview's "Self-checks" table, whose counts link to each check's offending rows as CSV.
public struct SelfCheckResults: Sendable, Equatable {
    /// The rows one check returned, as text, with the query's column names.
    public struct OffendingRows: Sendable, Equatable {
        public var columns: [String]
        public var rows: [[String]]

        public init(columns: [String], rows: [[String]]) {
            self.columns = columns
            self.rows = rows
        }
    }

    /// The offending rows per check; a check missing here counts as zero.
    public var findings: [SelfCheck: OffendingRows]

    public init(findings: [SelfCheck: OffendingRows] = [:]) {
        self.findings = findings
    }

    /// How many rows break `check`'s rule.
    public func violations(_ check: SelfCheck) -> Int { findings[check]?.rows.count ?? 0 }

    /// `checkout_nightly_selfcheck_violations{check}`: one gauge per check, zero included.
    public var metricFamilies: [MetricFamily] {
        [MetricFamily(
            name: "checkout_nightly_selfcheck_violations",
            help: "Rows that break one of the send rules the batch checks every run (must stay 0), by check.",
            kind: .gauge,
            samples: SelfCheck.allCases.map { .init(["check": $0.rawValue], Double(violations($0))) })]
    }

    /// The CSV of a check's offending rows, relative to the site root.
    public static func csvPath(_ check: SelfCheck) -> String { "csv/\(detailTableID(check)).csv" }

    private static func detailTableID(_ check: SelfCheck) -> String { "selfcheck-" + check.rawValue }

    /// The overview's table: one row per check, 0 in green, anything else in red linking to the offending rows.
    public var summary: DataTable {
        DataTable(
            id: "selfchecks", caption: "Self-checks: rows that break a send rule (must be 0)",
            columns: [TableColumn("Check", code: true), TableColumn("Rule"), TableColumn("Violations", numeric: true)],
            rows: SelfCheck.allCases.map { check in
                let count = violations(check)
                var cell = TableCell(Formatting.integer(count), tone: .good)
                if count > 0 {
                    cell = TableCell(links: [TableCell.Link(label: Formatting.integer(count), href: Self.csvPath(check))])
                    cell.tone = Tone.bad.rawValue
                }
                return [TableCell(check.rawValue), TableCell(check.rule), cell]
            })
    }

    /// Every check's offending rows (written as CSV beside the summary, even when empty).
    public var details: [DataTable] {
        SelfCheck.allCases.map { check in
            let found = findings[check] ?? OffendingRows(columns: [], rows: [])
            return DataTable(
                id: Self.detailTableID(check), caption: check.rule, columns: found.columns.map { TableColumn($0) },
                rows: found.rows.map { $0.map { TableCell($0) } }, emptyText: "None.")
        }
    }

    /// The tables to write with the overview: the summary and every check's offending rows.
    public var tables: [DataTable] { [summary] + details }
}
