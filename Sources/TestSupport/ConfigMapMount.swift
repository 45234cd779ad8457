import Foundation

/// A folder laid out as the kubelet mounts a ConfigMap or Secret volume: the files live in a hidden, timestamped
/// folder, `..data` links to it, and every top-level entry is a link through `..data`:
///
///     dir/..2026_11_30_09_00_00.123456789/emails/de-DE/first_email.mustache
///     dir/..data -> ..2026_11_30_09_00_00.123456789
///     dir/emails -> ..data/emails
///     dir/email_layout.mustache -> ..data/email_layout.mustache
public enum ConfigMapMount {
    /// The name of the timestamped folder, as the kubelet names it.
    public static let versionFolder = "..2026_11_30_09_00_00.123456789"

    /// Creates the mount at `folder` (which must not exist yet) holding a copy of everything below `source`.
    public static func make(at folder: URL, copying source: URL) throws {
        let version = folder.appendingPathComponent(versionFolder, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: version)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("..data").path, withDestinationPath: versionFolder)
        for name in try FileManager.default.contentsOfDirectory(atPath: version.path) {
            try FileManager.default.createSymbolicLink(
                atPath: folder.appendingPathComponent(name).path, withDestinationPath: "..data/" + name)
        }
    }
}
