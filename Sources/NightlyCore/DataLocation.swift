import Foundation

/// Where the batch's own data (`queries/`, `templates/`, `docs/`) lives when no flag or setting names a folder,
/// so the binary runs from any working folder:
///
/// 1. installed: `<prefix>/bin/checkout-nightly` reads `<prefix>/share/checkout-nightly/` (`make install`);
/// 2. a development checkout: a binary built under `.build*/` reads the repository root above it;
/// 3. otherwise the working folder (the paths stay relative: `queries`, `templates`, `docs`).
public struct DataLocation: Sendable, Equatable {
    /// How the data folder was found.
    public enum Kind: String, Sendable {
        case installed, checkout, workingFolder = "working folder"
    }

    /// The folder holding `queries/`, `templates/` and `docs/`; nil for the working folder.
    public let root: String?
    public let kind: Kind

    /// The name of the data folder under `<prefix>/share`.
    public static let shareName = "checkout-nightly"

    /// The location for this process's executable, found once.
    public static let current = DataLocation(executable: executablePath())

    /// Finds the data for the executable at `executable` (a path with links already resolved).
    public init(executable: String?) {
        guard let executable else {
            (root, kind) = (nil, .workingFolder)
            return
        }
        let binFolder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        let share = binFolder.deletingLastPathComponent().appendingPathComponent("share/\(Self.shareName)").standardizedFileURL
        if Self.holdsData(share) {
            (root, kind) = (share.path, .installed)
            return
        }
        var folder = binFolder.standardizedFileURL
        while folder.path != "/" {
            let repository = folder.deletingLastPathComponent()
            if folder.lastPathComponent.hasPrefix(".build"),
                FileManager.default.fileExists(atPath: repository.appendingPathComponent("Package.swift").path),
                Self.holdsData(repository)
            {
                (root, kind) = (repository.path, .checkout)
                return
            }
            folder = repository
        }
        (root, kind) = (nil, .workingFolder)
    }

    /// `name` (such as `templates`) inside the data folder.
    public func path(_ name: String) -> String { root.map { $0 + "/" + name } ?? name }

    public var queries: String { path("queries") }
    public var templates: String { path("templates") }
    public var docs: String { path("docs") }

    /// The template folders to load, highest precedence first: `templates` (a shop's own, which may hold only
    /// the templates it changes), then this location's templates when they exist and are another folder.
    public func templateLayers(over templates: String) -> [String] {
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: self.templates, isDirectory: &isDirectory), isDirectory.boolValue,
            resolved(self.templates) != resolved(templates)
        else { return [templates] }
        return [templates, self.templates]
    }

    /// Whether `folder` has a `queries/` folder (links followed).
    private static func holdsData(_ folder: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent("queries").path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }

    /// This process's executable with links resolved (`/proc/self/exe` on Linux).
    private static func executablePath() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return Bundle.main.executableURL?.resolvingSymlinksInPath().path
    }
}
