import Foundation
import NightlyCore

/// The releases kept under an output folder (`releases/<time>-<run>/{site,emails}`, see `ReleasePublisher`), as
/// `forget` and retention change them: the published one is never removed, a staging folder never touched.
struct KeptReleases {
    let outputDirectory: URL

    init(outputDirectory: String) {
        self.outputDirectory = URL(fileURLWithPath: outputDirectory, isDirectory: true)
    }

    var releasesDirectory: URL { outputDirectory.appendingPathComponent("releases", isDirectory: true) }

    /// Every release folder's name, newest first (names start with the run's UTC time).
    func names() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: releasesDirectory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted(by: >)
    }

    /// The published release's name (the target of `current`), nil when nothing is published.
    func publishedName() -> String? {
        let current = outputDirectory.appendingPathComponent("current").path
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: current)).map { ($0 as NSString).lastPathComponent }
    }

    /// The time a release's name starts with (`20261125T020000.123-…`, `ReleasePublisher.nameTime`), nil for a
    /// name this batch did not make.
    static func time(ofRelease name: String) -> Date? {
        guard let stamp = name.split(separator: "-").first else { return nil }
        return try? ReleasePublisher.nameTime.parse(String(stamp))
    }

    /// The releases to remove: beyond the newest `keep` (the published one counted among them) or made more than
    /// `maximumAge` before `now`. The published release and folders whose name carries no time stay.
    func expired(keep: Int, maximumAge: TimeInterval, now: Date) -> [String] {
        let published = publishedName()
        let dated = names().compactMap { name in Self.time(ofRelease: name).map { (name: name, time: $0) } }
        return dated.enumerated().compactMap { index, release in
            guard release.name != published else { return nil }
            return index >= keep || now.timeIntervalSince(release.time) > maximumAge ? release.name : nil
        }
    }

    /// Removes the release named `name`.
    func remove(_ name: String) throws {
        do {
            try FolderEntries.removeTree(releasesDirectory.appendingPathComponent(name).path)
        } catch {
            throw NightlyError.output(
                "cannot remove the release \(releasesDirectory.appendingPathComponent(name).path): \(error.localizedDescription); check that the output folder (--output) is writable")
        }
    }

    /// The ids of the messages whose rendered files (`emails/<stage>-<locale>-<id>.*`) are in the releases
    /// named `releaseNames`.
    func renderedMessageIDs(in releaseNames: [String]) -> Set<UUID> {
        var ids: Set<UUID> = []
        for release in releaseNames {
            let emails = releasesDirectory.appendingPathComponent(release).appendingPathComponent("emails")
            FolderEntries.forEach(in: emails.path) { name, _ in
                if let id = Self.messageID(ofFile: name) { ids.insert(id) }
            }
        }
        return ids
    }

    /// The id of the message a rendered file (`<stage>-<locale>-<id>.<extension>`) belongs to.
    static func messageID(ofFile name: String) -> UUID? {
        let stem = name.prefix { $0 != "." }
        return stem.count > 36 ? UUID(uuidString: String(stem.suffix(36))) : nil
    }

    /// Whether `line` names one of `ids` (a uuid in its canonical form, either case): one pass over its bytes and a
    /// set lookup per uuid found, so a night's worth of ids is as quick to look for as one.
    static func line(_ line: LineFilter.Line, namesAnyOf ids: Set<UUID>) -> Bool {
        var start = 0
        while start + 36 <= line.count {
            if line[start + 8] == UInt8(ascii: "-"),
               let id = UUID.parseCanonical(utf8: UnsafeBufferPointer(rebasing: line[start..<start + 36]))
            {
                if ids.contains(id) { return true }
                start += 36
            } else {
                start += 1
            }
        }
        return false
    }

    /// What `removeMessages` found in the releases.
    struct Removal {
        var files = 0
        var reviewRows = 0
    }

    /// Removes, in the releases named `releaseNames`, the rendered files of the messages `ids`
    /// (`emails/<stage>-<locale>-<id>.*`) and the lines of the site's pages and CSV files that name one of them
    /// (the review rows; each is one line). With `dryRun` it only counts. Pages are rewritten atomically.
    func removeMessages(_ ids: [UUID], from releaseNames: [String], dryRun: Bool) throws -> Removal {
        let ids = Set(ids)
        func namesMessage(_ line: LineFilter.Line) -> Bool { Self.line(line, namesAnyOf: ids) }
        var removal = Removal()
        guard !ids.isEmpty else { return removal }
        for release in releaseNames {
            let folder = releasesDirectory.appendingPathComponent(release, isDirectory: true)
            let emails = folder.appendingPathComponent("emails", isDirectory: true)
            try FolderEntries.forEach(in: emails.path) { name, _ in
                guard Self.messageID(ofFile: name).map(ids.contains) == true else { return }
                if !dryRun { try removeFile(emails.path + "/" + name) }
                removal.files += 1
            }
            let site = folder.appendingPathComponent("site", isDirectory: true)
            let pages = ((try? FileManager.default.contentsOfDirectory(atPath: site.path)) ?? []).filter { $0.hasSuffix(".html") }
                + ((try? FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("csv").path)) ?? [])
                    .filter { $0.hasSuffix(".csv") }.map { "csv/" + $0 }
            for page in pages {
                let path = site.appendingPathComponent(page).path
                let rows = LineFilter.count(in: path, where: namesMessage)
                guard rows > 0 else { continue }
                removal.reviewRows += rows
                if !dryRun { try LineFilter.remove(from: path, where: namesMessage) }
            }
        }
        return removal
    }

    private func removeFile(_ path: String) throws {
        do {
            try FolderEntries.removeFile(path)
        } catch {
            throw NightlyError.output("cannot remove \(path): \(error.localizedDescription); check that the output folder is writable")
        }
    }
}
