/// A row of `analytics_recovery_lift.sql`: one stage's (or, as `all`, every stage's distinct carts') messaged and
/// held-out carts recorded in the report window, and how many of each converted.
public struct RecoveryLiftRow: ReportRow {
    public static let file = "analytics_recovery_lift"
    public var stage: RecoveryLiftSection.Stage

    public init(_ record: ReportRecord) throws {
        stage = RecoveryLiftSection.Stage(
            stage: try record.text("stage"),
            lift: RecoveryLift(
                messaged: ConversionGroup(carts: try record.int("messaged_carts"), converted: try record.int("messaged_converted")),
                heldOut: ConversionGroup(carts: try record.int("held_out_carts"), converted: try record.int("held_out_converted"))))
    }
}
