/// A row of `analytics_recovery_by_stage.sql`: recovery messages of one stage sent in the report window.
public struct RecoveryStageRow: ReportRow {
    public static let file = "analytics_recovery_by_stage"
    public var stage: String
    public var sent: Int
    public var clicked: Int
    public var converted: Int

    public init(_ record: ReportRecord) throws {
        stage = try record.text("stage")
        sent = try record.int("sent")
        clicked = try record.int("clicked")
        converted = try record.int("converted")
    }

    public var clickRate: Ratio { Ratio(clicked, of: sent) }
    public var conversionRate: Ratio { Ratio(converted, of: sent) }
}
