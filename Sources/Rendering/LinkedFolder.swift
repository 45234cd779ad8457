import Foundation

/// The files below one folder, found by a walk that follows symbolic links, to folders and to files alike.
///
/// Entries whose names start with a dot are skipped, so a Kubernetes ConfigMap mount (`..data ->
/// ..2026_11_30_…/`, each entry a link through `..data`) reads like the plain folder it stands for, and editor
/// or temporary files (`.x.swp`) are never loaded. A link back to a folder above is not walked again.
/// (swift-mustache's `MustacheLibrary(directory:)` walks without following links.)
public struct LinkedFolder: Sendable {
    /// The folder, as given.
    public let path: String

    public init(_ path: String) { self.path = path }

    /// The files ending in `.<fileExtension>`, as (path relative to the folder with `/`, full path), sorted.
    public func files(withExtension fileExtension: String) -> [(relative: String, path: String)] {
        var found: [(relative: String, path: String)] = []
        walk(path, relative: "", visiting: [], suffix: "." + fileExtension, into: &found)
        return found.sorted { $0.relative < $1.relative }
    }

    private func walk(
        _ folder: String, relative: String, visiting: Set<String>, suffix: String,
        into found: inout [(relative: String, path: String)]
    ) {
        guard let real = Self.realPath(folder), !visiting.contains(real),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder)
        else { return }
        for name in names where !name.hasPrefix(".") {
            let entry = folder + "/" + name
            let entryRelative = relative.isEmpty ? name : relative + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: entry, isDirectory: &isDirectory) else { continue }  // a dangling link
            if isDirectory.boolValue {
                walk(entry, relative: entryRelative, visiting: visiting.union([real]), suffix: suffix, into: &found)
            } else if name.hasSuffix(suffix) {
                found.append((entryRelative, entry))
            }
        }
    }

    /// `path` with every link resolved, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
