import Foundation

/// Writes files so that a reader sees the old content or the new, never half a file.
public enum AtomicFile {
    /// Permissions of every file the batch writes: owner read-write, group read.
    public static let fileMode: mode_t = 0o640
    /// Permissions of the metric files: readable by everyone, since node_exporter reads them as its own user and
    /// they hold no personal data.
    public static let metricFileMode: mode_t = 0o644
    /// Permissions of every folder the batch creates: owner full, group read and enter.
    public static let folderMode: Int = 0o750

    /// Writes `text` to a temporary file beside `url`, then renames it over `url` (atomic on one file system).
    public static func write(_ text: String, to url: URL, mode: mode_t = fileMode) throws {
        try write(Data(text.utf8), to: url, mode: mode)
    }

    /// Writes `data` with permissions `mode` to a temporary file beside `url`, then renames it over `url`.
    public static func write(_ data: Data, to url: URL, mode: mode_t = fileMode) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try createFolder(folder)
            guard FileManager.default.createFile(
                atPath: temporary.path, contents: data, attributes: [.posixPermissions: Int(mode)])
            else {
                throw NightlyError.output("cannot write \(temporary.path): \(String(cString: strerror(errno)))")
            }
            guard rename(temporary.path, url.path) == 0 else {
                throw NightlyError.output("cannot rename \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch let error as NightlyError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw NightlyError.output("cannot write \(url.path): \(error.localizedDescription); check that the folder exists and is writable")
        }
    }

    /// Creates `folder` and its missing parents with `folderMode`.
    public static func createFolder(_ folder: URL) throws {
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: folderMode])
    }
}
