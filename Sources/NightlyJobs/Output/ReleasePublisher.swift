import Foundation

/// Stages a run's site and e-mails in a release folder and publishes it with one atomic symlink switch.
///
/// Layout under the output folder: `releases/<id>/{site,emails}` holds each run's files; `current` points at
/// the published release; `site` and `emails` point through `current`. A reader following `output/site`
/// therefore sees one complete release or the next, never a mix, and a run that does not publish leaves `current`
/// alone.
public struct ReleasePublisher: Sendable {
    public let outputDirectory: URL
    public let keep: Int

    public init(outputDirectory: String, keep: Int) {
        self.outputDirectory = URL(fileURLWithPath: outputDirectory, isDirectory: true)
        self.keep = max(1, keep)
    }

    var releasesDirectory: URL { outputDirectory.appendingPathComponent("releases", isDirectory: true) }

    /// How a release's name starts: the UTC time it was staged, such as `20261125T020000.123`.
    public static let nameTime = Date.ISO8601FormatStyle().year().month().day().dateSeparator(.omitted)
        .time(includingFractionalSeconds: true).timeSeparator(.omitted)
    var current: URL { outputDirectory.appendingPathComponent("current") }

    /// A release being staged: hidden (`releases/.staging-<name>`) until it is published, so that neither a
    /// reader nor another run's pruning ever takes it for a finished one.
    public struct StagedRelease {
        public let name: String
        public let url: URL
        /// Held from staging until the release is published or discarded; nil for a scratch release.
        let lock: OutputLock?
        public var site: URL { url.appendingPathComponent("site", isDirectory: true) }
        public var emails: URL { url.appendingPathComponent("emails", isDirectory: true) }
    }

    /// Takes the output folder's lock (calling `waiting` first when another run or `forget` holds it), then
    /// creates the staging folder of a run that publishes, its `site/` starting as the published site (hard
    /// links, so nothing is copied), so a run of a few steps refreshes only the pages it rebuilds; `emails/`
    /// starts empty. The lock is held until the release is published or discarded.
    public func stage(releaseName: String, waiting: () -> Void) throws -> StagedRelease {
        let lock = try OutputLock(outputDirectory: outputDirectory, waiting: waiting)
        let release = try create(releaseName: releaseName, lock: lock)
        do {
            try linkTree(from: current.appendingPathComponent("site"), to: release.site)
        } catch {
            discard(release)
            throw NightlyError.output(
                "cannot create the staging folder \(release.url.path): \(error.localizedDescription); check that the output folder (--output) is writable")
        }
        return release
    }

    /// An empty staging folder for a run that publishes nothing (its steps build no page): not locked, never
    /// published, discarded when the run ends.
    public func scratch(releaseName: String) throws -> StagedRelease {
        try create(releaseName: releaseName, lock: nil)
    }

    private func create(releaseName: String, lock: OutputLock?) throws -> StagedRelease {
        let release = StagedRelease(
            name: releaseName, url: releasesDirectory.appendingPathComponent(".staging-" + releaseName, isDirectory: true),
            lock: lock)
        do {
            try? FolderEntries.removeTree(release.url.path)
            try AtomicFile.createFolder(release.emails)
            try AtomicFile.createFolder(release.site)
        } catch {
            lock?.release()
            throw NightlyError.output(
                "cannot create the staging folder \(release.url.path): \(error.localizedDescription); check that the output folder (--output) is writable")
        }
        return release
    }

    /// Fills the staged release's `part` with the published release's (hard links): the e-mails of a run whose
    /// recovery pass did not render any keep the last published review copies.
    public func carryOver(_ part: String, into release: StagedRelease) throws {
        try linkTree(from: current.appendingPathComponent(part), to: release.url.appendingPathComponent(part))
    }

    /// Makes `release` the published output and removes releases older than the newest `keep`, then lets the
    /// next run in. Runs publish in the order they took the output folder's lock, each release staged on top of
    /// the one before, so no run's pages or review copies are dropped for another's.
    public func publish(_ release: StagedRelease) throws {
        guard let lock = release.lock else {
            throw NightlyError.output("the scratch release \(release.url.path) of a run that builds no page cannot be published")
        }
        defer { lock.release() }
        try flushToDisk(release)
        let final = releasesDirectory.appendingPathComponent(release.name, isDirectory: true)
        let temporary = outputDirectory.appendingPathComponent(".current.\(ProcessInfo.processInfo.processIdentifier).tmp")
        try? FileManager.default.removeItem(at: temporary)
        guard rename(release.url.path, final.path) == 0, symlink("releases/" + release.name, temporary.path) == 0,
            rename(temporary.path, current.path) == 0
        else {
            throw NightlyError.output("cannot publish \(final.path) as \(current.path): \(String(cString: strerror(errno)))")
        }
        for part in ["site", "emails"] {
            try linkThroughCurrent(part)
        }
        prune(keeping: release.name)
    }

    /// Removes a staged release that will not be published (a failed run, a run that builds no page) and lets
    /// the next run in.
    public func discard(_ release: StagedRelease) {
        try? FolderEntries.removeTree(release.url.path)
        release.lock?.release()
    }

    /// Writes the staged release's files to disk before `current` points at it, so that a crash right after
    /// publishing never leaves a published release of empty files. One `syncfs` of the output's file system
    /// instead of an `fsync` per file (`ReleaseFolder` writes in place); `sync` where the C library lacks it.
    private func flushToDisk(_ release: StagedRelease) throws {
        let descriptor = open(release.url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw NightlyError.output("cannot open \(release.url.path) to flush it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard let symbol = dlsym(nil, "syncfs") else { return sync() }
        let syncFileSystem = unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
        guard syncFileSystem(descriptor) == 0 else {
            throw NightlyError.output("cannot flush \(release.url.path) to disk: \(String(cString: strerror(errno)))")
        }
    }

    /// Recreates the folders of `source` under `destination` and hard-links its files there. Published files
    /// are never changed in place (`ReleaseFolder` unlinks a file before it creates it, `AtomicFile` renames a new
    /// file over the old), so sharing them is safe.
    private func linkTree(from source: URL, to destination: URL) throws {
        try linkFolder(source.resolvingSymlinksInPath().path, to: destination.path)
    }

    private func linkFolder(_ source: String, to destination: String) throws {
        try FolderEntries.forEach(in: source) { name, isFolder in
            let (from, to) = (source + "/" + name, destination + "/" + name)
            if isFolder {
                try AtomicFile.createFolder(URL(fileURLWithPath: to, isDirectory: true))
                try linkFolder(from, to: to)
            } else if link(from, to) != 0 && errno != EEXIST {
                throw NightlyError.output("cannot link \(from) to \(to): \(String(cString: strerror(errno)))")
            }
        }
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

    /// Removes published releases beyond the newest `keep`, and staging folders left by runs that died more
    /// than a day ago; never a release another run is staging now.
    private func prune(keeping published: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: releasesDirectory.path) else { return }
        let stale = names.filter { !$0.hasPrefix(".") && $0 != published }.sorted().reversed().dropFirst(keep - 1)
        let abandoned = names.filter { name in
            guard name.hasPrefix(".staging-"),
                let modified = try? FileManager.default.attributesOfItem(
                    atPath: releasesDirectory.appendingPathComponent(name).path)[.modificationDate] as? Date
            else { return false }
            return modified < Date().addingTimeInterval(-Self.abandonedStagingAge)
        }
        for name in stale + abandoned {
            try? FolderEntries.removeTree(releasesDirectory.appendingPathComponent(name).path)
        }
    }

    /// How old a staging folder must be before pruning takes it for one a killed run left behind.
    static let abandonedStagingAge: TimeInterval = 86400
}
