/// Decodes the generic results of one run into report rows, remembering which files it read, so that a file
/// no row type decodes is an error rather than a query that runs for nothing.
struct ReportDecoder {
    let data: ReportData
    private var decoded: Set<String> = []
    /// The rows left out because they hold NULL where their row type needs a value, in the order read.
    private(set) var skipped: [ReportDataError] = []

    init(_ data: ReportData) { self.data = data }

    /// Every row of `Row.file` but those holding NULL where a value is needed (kept in `skipped`); an error
    /// naming the file when it did not run, or the file, row and column when a value has another type.
    mutating func rows<Row: ReportRow>() throws -> [Row] {
        decoded.insert(Row.file)
        var rows: [Row] = []
        for record in try data.table(Row.file).records {
            do {
                rows.append(try Row(record))
            } catch let error as ReportDataError where error.isMissingValue {
                skipped.append(error)
            }
        }
        return rows
    }

    /// The one row of `Row.file`; an error naming the file when it did not run or returned no row.
    mutating func single<Row: ReportRow>() throws -> Row {
        decoded.insert(Row.file)
        return try Row(data.table(Row.file).single())
    }

    /// An error naming every file that ran but that no row type decoded.
    func checkEveryFileDecoded() throws {
        let undecoded = data.tables.filter { !decoded.contains($0.key) }.map(\.value.source).sorted()
        guard undecoded.isEmpty else {
            throw ReportDataError(
                "no page or metric of this build reads \(undecoded.joined(separator: ", ")); remove such a file from the queries folder, or give it a row type in Reports")
        }
    }
}
