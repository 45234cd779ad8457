import Foundation
import NightlyCore
import Postgres
import Rendering

/// Checks what resolved settings name outside themselves (the connection strings libpq must parse, the
/// folders of SQL files, templates and docs, the warehouse token) before a command touches the database or the
/// output folder. Every failure is a `ConfigurationError` naming the setting and where it was set (exit 64).
public enum SettingsCheck {
    /// For every command: libpq can parse `database_url` and `report_database_url` (its message, which quotes
    /// them, is never shown), and `queries` is a folder of the batch's SQL files.
    public static func command(_ settings: Settings) throws {
        for (name, url) in [("database_url", settings.databaseURL), ("report_database_url", settings.reportDatabaseURL)] {
            guard let url, !url.isEmpty, ConnectionString(url) == nil else { continue }
            throw settings.configurationError(name, "\(name) cannot be used: \(ConnectionString.unparseableAdvice)")
        }
        let schema = URL(fileURLWithPath: settings.queriesDirectory).appendingPathComponent("schema").path
        do {
            _ = try LinkedFolder.names(in: schema)
        } catch let error as LinkedFolder.Unreadable {
            throw settings.configurationError(
                "queries",
                "queries is \"\(settings.queriesDirectory)\", which is not a folder of the batch's SQL files: \(error); set queries to the installed queries folder (checkout-nightly --version names it) or leave it out")
        }
    }

    /// For `run`: the checks of `command`, the templates (loaded as the run loads them), the textfile folder and
    /// every step's own check (the runbook for the reports, the warehouse token for the retry pass).
    public static func run(_ settings: Settings) throws {
        try command(settings)
        _ = try templates(settings)
        try textfileFolder(settings)
        try StepList.checkConfiguration(settings)
    }

    /// A `textfile_dir` the run could not write its metric files into is refused before any pass runs: found only
    /// at the end, the passes would have sent their messages and the run would still fail.
    static func textfileFolder(_ settings: Settings) throws {
        guard let path = settings.textfileDirectory else { return }
        var isFolder: ObjCBool = false
        let problem: String? =
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) { "does not exist" }
            else if !isFolder.boolValue { "is not a folder" }
            else if access(path, W_OK | X_OK) != 0 { "is not writable for this user (\(String(cString: strerror(errno))))" }
            else { nil }
        guard let problem else { return }
        throw settings.configurationError(
            "textfile_dir",
            "textfile_dir (--textfile-dir) is \"\(path)\", which \(problem); create the folder and let the batch's user write there (an ACL leaves node_exporter's folder its owner), or point textfile_dir at another folder")
    }

    /// The run's templates: the `templates` folder over the installed ones. A folder or template that is
    /// missing, cannot be read or does not parse is a configuration error naming `templates`.
    public static func templates(_ settings: Settings) throws -> TemplateSet {
        do {
            return try TemplateSet(overriding: settings.templatesDirectory)
        } catch let error as TemplateError {
            throw settings.configurationError(
                "templates", "templates is \"\(settings.templatesDirectory)\", whose templates cannot be used: \(error.message)")
        }
    }
}
