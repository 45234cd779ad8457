import Foundation

/// The files below one folder, found by a walk that follows symbolic links, to folders and to files alike.
///
/// Entries whose names start with a dot are skipped, so a Kubernetes ConfigMap mount (`..data ->
/// ..2026_11_30_…/`, each entry a link through `..data`) reads like the plain folder it stands for, and editor
/// or temporary files (`.x.swp`) are never loaded. A link back to a folder above is not walked again. A folder
/// that cannot be listed, or a wanted file that cannot be reached (a dangling link), is an error naming it: a
/// walk never leaves out what it cannot read. (swift-mustache's `MustacheLibrary(directory:)` walks without
/// following links.)
public struct LinkedFolder: Sendable {
    /// The folder, as given.
    public let path: String

    public init(_ path: String) { self.path = path }

    /// A folder or file the walk cannot read, with the system's reason.
    public struct Unreadable: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path) cannot be read (\(reason))" }
    }

    /// The files ending in `.<fileExtension>`, as (path relative to the folder with `/`, full path), sorted.
    /// Throws `Unreadable` for the first folder below that cannot be listed or wanted file that cannot be reached.
    public func files(withExtension fileExtension: String) throws -> [(relative: String, path: String)] {
        var found: [(relative: String, path: String)] = []
        try walk(path, relative: "", visiting: [], suffix: "." + fileExtension, into: &found)
        return found.sorted { $0.relative < $1.relative }
    }

    private func walk(
        _ folder: String, relative: String, visiting: Set<String>, suffix: String,
        into found: inout [(relative: String, path: String)]
    ) throws {
        guard let real = Self.realPath(folder) else {
            throw Unreadable(path: folder, reason: String(cString: strerror(errno)))
        }
        guard !visiting.contains(real) else { return }
        for name in try Self.names(in: folder) where !name.hasPrefix(".") {
            let entry = folder + "/" + name
            let entryRelative = relative.isEmpty ? name : relative + "/" + name
            var status = stat()
            guard stat(entry, &status) == 0 else {
                // A link to nothing is left out unless a wanted file was meant; anything else is unreadable.
                let reason = errno
                guard reason == ENOENT, !name.hasSuffix(suffix) else {
                    throw Unreadable(path: entry, reason: String(cString: strerror(reason)))
                }
                continue
            }
            if status.st_mode & S_IFMT == S_IFDIR {
                try walk(entry, relative: entryRelative, visiting: visiting.union([real]), suffix: suffix, into: &found)
            } else if name.hasSuffix(suffix) {
                found.append((entryRelative, entry))
            }
        }
    }

    /// The names of the entries of `folder` (links followed), sorted, without `.` and `..`; `Unreadable` with the
    /// system's reason when it cannot be listed.
    public static func names(in folder: String) throws -> [String] {
        guard let directory = opendir(folder) else { throw Unreadable(path: folder, reason: String(cString: strerror(errno))) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// `path` with every link resolved, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
