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
            try FileManager.default.removeItem(at: releasesDirectory.appendingPathComponent(name, isDirectory: true))
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
            for name in (try? FileManager.default.contentsOfDirectory(atPath: emails.path)) ?? [] {
                let stem = name.prefix { $0 != "." }
                if stem.count > 36, let id = UUID(uuidString: String(stem.suffix(36))) { ids.insert(id) }
            }
        }
        return ids
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
        let needles = ids.map { $0.uuidString.lowercased() }
        func mentionsMessage(_ text: Substring) -> Bool { needles.contains { text.contains($0) } }
        var removal = Removal()
        guard !needles.isEmpty else { return removal }
        for release in releaseNames {
            let folder = releasesDirectory.appendingPathComponent(release, isDirectory: true)
            let emails = folder.appendingPathComponent("emails", isDirectory: true)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: emails.path)) ?? []
            where mentionsMessage(Substring(name)) {
                if !dryRun { try removeFile(emails.appendingPathComponent(name)) }
                removal.files += 1
            }
            let site = folder.appendingPathComponent("site", isDirectory: true)
            let pages = ((try? FileManager.default.contentsOfDirectory(atPath: site.path)) ?? []).filter { $0.hasSuffix(".html") }
                + ((try? FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("csv").path)) ?? [])
                    .filter { $0.hasSuffix(".csv") }.map { "csv/" + $0 }
            for page in pages {
                let url = site.appendingPathComponent(page)
                guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let kept = lines.filter { !mentionsMessage($0) }
                guard kept.count < lines.count else { continue }
                removal.reviewRows += lines.count - kept.count
                if !dryRun { try AtomicFile.write(kept.joined(separator: "\n"), to: url) }
            }
        }
        return removal
    }

    private func removeFile(_ url: URL) throws {
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw NightlyError.output("cannot remove \(url.path): \(error.localizedDescription); check that the output folder is writable")
        }
    }
}
