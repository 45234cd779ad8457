/// Where a setting's value came from, so that an error can say where to fix it.
public enum SettingOrigin: Sendable, Equatable, CustomStringConvertible {
    case commandLine
    /// An environment variable, by name (`CHECKOUT_NIGHTLY_LOCK_TIMEOUT`).
    case environment(String)
    /// A line of a config file.
    case file(path: String, line: Int)
    /// Not set anywhere: the built-in default.
    case defaultValue

    /// The words an error sentence ends with: `set on the command line`, `set in c.conf:3`, ….
    public var description: String {
        switch self {
        case .commandLine: "set on the command line"
        case .environment(let name): "set in \(name)"
        case .file(let path, let line): "set in \(path):\(line)"
        case .defaultValue: "left at the built-in default"
        }
    }
}

/// A setting that is missing, malformed or contradicts another; the run stops before touching the database.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The setting's name as written in the config file, such as `output` or `statement_timeout`.
    public var setting: String
    /// One sentence naming the bad value and how to fix it.
    public var message: String
    /// Where the bad value was set; nil when the error is about no single value (a file that cannot be read).
    public var origin: SettingOrigin?

    public init(setting: String, message: String, origin: SettingOrigin? = nil) {
        self.setting = setting
        self.message = message
        self.origin = origin
    }

    /// The sentence with its origin: `statement_timeout is "30d"; … (set in c.conf:3)`.
    public var description: String { origin.map { "\(message) (\($0))" } ?? message }
}
