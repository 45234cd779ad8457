/// The named phases of a run, in order. A step's own phase is `.step(name)`; the runner stamps the phase onto
/// every error (`NightlyError.phaseFailed`) and onto the run ledger's rows, so a failure says where it happened.
public enum RunPhase: Sendable, Hashable, CustomStringConvertible {
    /// Settings are combined and templates loaded, before anything touches the database.
    case configure
    /// The database connections are opened and the schema and the order service's tables checked.
    case connect
    /// One selected step (a pass under its lock, or the reports).
    case step(StepName)
    /// The pages that need the whole run (overview, jobs) are rendered into the staged release.
    case render
    /// The staged release becomes the published one.
    case publish

    /// The phase a ledger row or metric file names: `render` and `publish` are the run's, anything else a step's.
    public init(name: String) {
        switch name {
        case "configure": self = .configure
        case "connect": self = .connect
        case "render": self = .render
        case "publish": self = .publish
        default: self = .step(StepName(rawValue: name))
        }
    }

    public var description: String {
        switch self {
        case .configure: "configure"
        case .connect: "connect"
        case .step(let name): name.rawValue
        case .render: "render"
        case .publish: "publish"
        }
    }
}
