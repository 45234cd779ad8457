import Foundation
import NightlyCore

/// The bearer token of the warehouse service, from `warehouse_token_file` or `CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN`.
/// Its description never shows the token, so it cannot reach a log line by accident.
public struct WarehouseToken: Sendable, CustomStringConvertible {
    let value: String

    public var description: String { "<warehouse token>" }

    /// Reads the token: the file when `warehouse_token_file` is set, else the environment. A missing, empty or
    /// malformed token is a configuration error naming where it was looked for (never the token).
    public static func load(_ settings: ReservationRetrySettings, environment: [String: String]) throws -> WarehouseToken {
        let text: String
        let origin: String
        if let path = settings.tokenFile {
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigurationError(
                    setting: "warehouse_token_file",
                    message: "warehouse_token_file is \"\(path)\", which cannot be read; give a file holding the warehouse service's bearer token")
            }
            (text, origin) = (contents, "the file \(path) (warehouse_token_file)")
        } else if let value = environment[ReservationRetrySettings.tokenEnvironmentName] {
            (text, origin) = (value, ReservationRetrySettings.tokenEnvironmentName)
        } else {
            throw ConfigurationError(
                setting: "warehouse_token_file",
                message: "the warehouse service's bearer token is missing; set warehouse_token_file to a file holding it, or \(ReservationRetrySettings.tokenEnvironmentName)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // RFC 6750 b64token characters only: nothing that could end or split the Authorization header.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=")
        guard !token.isEmpty, token.unicodeScalars.allSatisfy(allowed.contains) else {
            throw ConfigurationError(
                setting: "warehouse_token_file",
                message: "the warehouse token in \(origin) is empty or holds characters a bearer token cannot have (only letters, digits and -._~+/=)")
        }
        return WarehouseToken(value: token)
    }
}
