/// A setting that is missing, malformed or contradicts another; the run stops before touching the database.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The setting's name as written in the config file, such as `output` or `statement_timeout`.
    public var setting: String
    /// One sentence naming the bad value and how to fix it.
    public var message: String

    public init(setting: String, message: String) {
        self.setting = setting
        self.message = message
    }

    public var description: String { message }
}
