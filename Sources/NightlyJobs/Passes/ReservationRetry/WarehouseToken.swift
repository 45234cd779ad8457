import Foundation
import NightlyCore

/// The bearer token of the warehouse service, from `warehouse_token_file` or `CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN`.
/// Its description never shows the token, so it cannot reach a log line by accident.
public struct WarehouseToken: Sendable, CustomStringConvertible {
    let value: String

    public var description: String { "<warehouse token>" }

    /// Reads the token: the file when `warehouse_token_file` is set, else the environment. A missing, empty or
    /// malformed token, or a token file others may read (`fileModeProblem`), is a configuration error naming the
    /// setting and where it was set (never the token).
    public static func load(_ settings: Settings, environment: [String: String]) throws -> WarehouseToken {
        let text: String
        let source: String
        let origin: SettingOrigin
        if let path = settings.reservationRetry.tokenFile {
            var status = stat()
            guard stat(path, &status) == 0 else {
                let reason = String(cString: strerror(errno))
                throw settings.configurationError(
                    "warehouse_token_file",
                    "warehouse_token_file is \"\(path)\", which cannot be read (\(reason)); give a file holding the warehouse service's bearer token")
            }
            if let problem = fileModeProblem(mode: status.st_mode, owner: status.st_uid) {
                throw settings.configurationError(
                    "warehouse_token_file",
                    "warehouse_token_file is \"\(path)\", which \(problem); a token file must be readable by the batch's user alone: chmod 0600 it as that user's, or make it root's with mode 0440 for the batch's group (a Kubernetes Secret with fsGroup and defaultMode 0440)")
            }
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                let reason = access(path, R_OK) == 0 ? "it is not UTF-8 text" : String(cString: strerror(errno))
                throw settings.configurationError(
                    "warehouse_token_file",
                    "warehouse_token_file is \"\(path)\", which cannot be read (\(reason)); give a file holding the warehouse service's bearer token")
            }
            (text, source, origin) = (contents, "the file \(path) (warehouse_token_file)", settings.origins["warehouse_token_file"])
        } else if let value = environment[ReservationRetrySettings.tokenEnvironmentName] {
            let name = ReservationRetrySettings.tokenEnvironmentName
            (text, source, origin) = (value, name, .environment(name))
        } else {
            throw settings.configurationError(
                "warehouse_base_url",
                "warehouse_base_url is set, but the warehouse service's bearer token is missing; set warehouse_token_file to a file holding it, or \(ReservationRetrySettings.tokenEnvironmentName)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // RFC 6750 b64token characters only: nothing that could end or split the Authorization header.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=")
        guard !token.isEmpty, token.unicodeScalars.allSatisfy(allowed.contains) else {
            throw ConfigurationError(
                setting: "warehouse_token_file",
                message: "the warehouse token in \(source) is empty or holds characters a bearer token cannot have (only letters, digits and -._~+/=)",
                origin: origin)
        }
        return WarehouseToken(value: token)
    }

    /// Why a token file of `mode` owned by `owner` is too open, or nil when it is not. libpq's rule for a client
    /// key: no access for others; group access only to read, and only on a file owned by root (a Kubernetes
    /// Secret mounted with fsGroup, a systemd credential read through an ACL, whose mask shows as the group's
    /// bits). A file its group may read but that is not root's (or any file others may read) is refused, as libpq
    /// refuses such a password file.
    static func fileModeProblem(mode: mode_t, owner: uid_t) -> String? {
        let octal = String(format: "%04o", mode & 0o7777)
        if mode & 0o007 != 0 { return "others may read or change (mode \(octal))" }
        if mode & 0o020 != 0 { return "its group may change (mode \(octal))" }
        if mode & 0o050 != 0, owner != 0 { return "its group may read (mode \(octal)) though it is not root's" }
        return nil
    }
}
