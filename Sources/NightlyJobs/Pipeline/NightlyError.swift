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
    /// A phase of the run (a step, or the run's own set-up, render or publish) failed; the error names it.
    case phaseFailed(RunPhase, underlying: Error)
    /// A command other than `run` failed.
    case commandFailed(Error)
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
        case .configuration(let error): "configuration: \(error.message)"
        case .databaseUnreachable(let error): "database unreachable: \(error)"
        case .schemaMismatch(let message): message
        case .missingFile(let message): message
        case .badQueryFile(let message): message
        case .notEmpty(let message): message
        case .phaseFailed(.step(let name), let underlying): "step \(name) failed: \(underlying)"
        case .phaseFailed(let phase, let underlying): "the run's \(phase) phase failed: \(underlying)"
        case .commandFailed(let underlying): "\(underlying)"
        case .output(let message): message
        }
    }
}

/// An error that is only a sentence.
struct PlainMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension PostgresError {
    /// True when the connection to the server is gone (a restart, a terminated backend, a network cut): the
    /// run cannot go on, and exits 69.
    var isConnectionLost: Bool {
        kind == .connection
            || sqlState.map {
                $0.isConnectionException || [.adminShutdown, .crashShutdown, .cannotConnectNow].contains($0)
            } ?? false
    }
}
