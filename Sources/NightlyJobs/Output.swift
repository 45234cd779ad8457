import Foundation

/// Writes files so that a reader sees the old content or the new, never half a file.
public enum AtomicFile {
    /// Writes `text` to a temporary file beside `url`, then renames it over `url` (atomic on one file system).
    public static func write(_ text: String, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: temporary)
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
}

/// Stages a run's site and e-mails in a release folder and publishes it with one atomic symlink switch.
///
/// Layout under the output folder: `releases/<id>/{site,emails}` holds each run's files; `current` points at
/// the published release; `site` and `emails` point through `current`. A reader following `output/site`
/// therefore sees one complete release or the next, never a mix, and a failed run leaves `current` alone.
public struct ReleasePublisher {
    public let outputDirectory: URL
    public let keep: Int

    public init(outputDirectory: String, keep: Int) {
        self.outputDirectory = URL(fileURLWithPath: outputDirectory, isDirectory: true)
        self.keep = max(1, keep)
    }

    var releasesDirectory: URL { outputDirectory.appendingPathComponent("releases", isDirectory: true) }

    /// Creates the release folder for a run and returns it. The parts named in `carryOver` (`site`, `emails`)
    /// start as a copy of the published release's, so a run of a few steps refreshes only what it rebuilt.
    public func stage(releaseName: String, carryOver: Set<String> = []) throws -> URL {
        let release = releasesDirectory.appendingPathComponent(releaseName, isDirectory: true)
        let current = outputDirectory.appendingPathComponent("current")
        do {
            try? FileManager.default.removeItem(at: release)
            try FileManager.default.createDirectory(at: release, withIntermediateDirectories: true)
            for part in ["site", "emails"] {
                let published = current.appendingPathComponent(part)
                if carryOver.contains(part), FileManager.default.fileExists(atPath: published.path) {
                    try FileManager.default.copyItem(at: published, to: release.appendingPathComponent(part))
                } else {
                    try FileManager.default.createDirectory(
                        at: release.appendingPathComponent(part), withIntermediateDirectories: true)
                }
            }
        } catch {
            throw NightlyError.output(
                "cannot create the staging folder \(release.path): \(error.localizedDescription); check that the output folder (--output) is writable")
        }
        return release
    }

    /// Makes `release` the published output and removes releases older than the newest `keep`.
    public func publish(_ release: URL) throws {
        let current = outputDirectory.appendingPathComponent("current")
        let temporary = outputDirectory.appendingPathComponent(".current.\(ProcessInfo.processInfo.processIdentifier).tmp")
        try? FileManager.default.removeItem(at: temporary)
        guard symlink("releases/" + release.lastPathComponent, temporary.path) == 0,
            rename(temporary.path, current.path) == 0
        else {
            throw NightlyError.output("cannot publish \(release.path) as \(current.path): \(String(cString: strerror(errno)))")
        }
        for part in ["site", "emails"] {
            try linkThroughCurrent(part)
        }
        prune(keeping: release.lastPathComponent)
    }

    /// Removes a staged release that will not be published (a failed run).
    public func discard(_ release: URL) {
        try? FileManager.default.removeItem(at: release)
    }

    private func linkThroughCurrent(_ part: String) throws {
        let link = outputDirectory.appendingPathComponent(part)
        let target = "current/" + part
        if let existing = try? FileManager.default.destinationOfSymbolicLink(atPath: link.path), existing == target {
            return
        }
        let temporary = outputDirectory.appendingPathComponent(".\(part).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try? FileManager.default.removeItem(at: temporary)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: link.path, isDirectory: &isDirectory), isDirectory.boolValue,
            (try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == nil
        {
            // A plain folder left by something else: moved aside once, never merged.
            try? FileManager.default.removeItem(at: outputDirectory.appendingPathComponent(".\(part).old"))
            try? FileManager.default.moveItem(at: link, to: outputDirectory.appendingPathComponent(".\(part).old"))
        }
        guard symlink(target, temporary.path) == 0, rename(temporary.path, link.path) == 0 else {
            throw NightlyError.output("cannot link \(link.path) to \(target): \(String(cString: strerror(errno)))")
        }
    }

    private func prune(keeping published: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: releasesDirectory.path) else { return }
        let stale = names.filter { $0 != published }.sorted().reversed().dropFirst(keep - 1)
        for name in stale {
            try? FileManager.default.removeItem(at: releasesDirectory.appendingPathComponent(name))
        }
    }
}
