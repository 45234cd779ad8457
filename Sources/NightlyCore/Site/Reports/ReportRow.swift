/// The typed rows of one `queries/reports/*.sql` file: each file has one conforming type, which decodes a row
/// of the generic result once, by column name (errors name the file, row and column).
public protocol ReportRow: Sendable {
    /// The file's name without `.sql`, such as `analytics_funnel`.
    static var file: String { get }
    init(_ record: ReportRecord) throws
}
