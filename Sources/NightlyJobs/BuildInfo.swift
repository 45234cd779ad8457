import Foundation
import NightlyCore

/// What `checkout-nightly --version` prints: the release number, compiled in, and the commit the binary was built
/// from. A build never writes into the repository, so the commit is found at run time: `make install` writes it to
/// `<prefix>/share/checkout-nightly/COMMIT`; a binary in a development checkout asks git; otherwise "unknown".
public enum BuildInfo {
    /// The release number; raised by hand for each release.
    public static let version = "0.1.0"

    /// The file `make install` writes the commit into, inside the data folder.
    public static let commitFile = "COMMIT"

    /// `checkout-nightly 0.1.0 (commit 4ec472a1b2c3, installed data in /usr/local/share/checkout-nightly)`.
    public static func describe(_ location: DataLocation = .current) -> String {
        let data = location.root.map { "\(location.kind.rawValue) data in \($0)" } ?? "data in the working folder"
        return "checkout-nightly \(version) (commit \(commit(location)), \(data))"
    }

    /// The commit of the installed tree or the checkout, with `-dirty` when the checkout had changes.
    public static func commit(_ location: DataLocation) -> String {
        guard let root = location.root else { return "unknown" }
        switch location.kind {
        case .installed:
            let text = try? String(contentsOfFile: root + "/" + commitFile, encoding: .utf8)
            return text.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
        case .checkout:
            return gitDescribe(root) ?? "unknown"
        case .workingFolder:
            return "unknown"
        }
    }

    /// The checkout's commit id, with `-dirty` for uncommitted changes (as the Makefile writes it), or nil without
    /// git or a repository.
    private static func gitDescribe(_ root: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root, "describe", "--always", "--dirty", "--abbrev=12", "--exclude=*"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let commit = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !commit.isEmpty ? commit : nil
    }
}
