import NightlyCore
import Postgres

/// The failures a command reports to its caller, each with one sentence and the exit code cron and CI see.
public enum NightlyError: Error, CustomStringConvertible {
    /// A bad setting (exit 64).
    case configuration(ConfigurationError)
    /// The database could not be reached (exit 69).
    case databaseUnreachable(PostgresError)
    /// The schema is older than this build expects, or not the contract it needs.
    case schemaMismatch(String)
    /// A file the run needs is missing or unreadable.
    case missingFile(String)
    /// A SQL file under `queries/` declares something the batch cannot provide.
    case badQueryFile(String)
    /// The `seed` command found tables that already hold data.
    case notEmpty(String)
    /// A step failed; the error carries the step's name.
    case stepFailed(step: String, underlying: Error)
    /// The output could not be written or published.
    case output(String)

    /// The process exit code: 64 configuration, 69 database unreachable, 1 anything else.
    public var exitCode: Int32 {
        switch self {
        case .configuration: 64
        case .databaseUnreachable: 69
        default: 1
        }
    }

    public var description: String {
        switch self {
        case .configuration(let error): "configuration: \(error)"
        case .databaseUnreachable(let error): "database unreachable: \(error)"
        case .schemaMismatch(let message): message
        case .missingFile(let message): message
        case .badQueryFile(let message): message
        case .notEmpty(let message): message
        case .stepFailed(let step, let underlying): "step \(step) failed: \(underlying)"
        case .output(let message): message
        }
    }
}
