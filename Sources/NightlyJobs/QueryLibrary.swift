import Foundation
import Postgres

/// The SQL files under `queries/`, read on demand so that operators can inspect and tune them without a rebuild.
public struct QueryLibrary: Sendable {
    /// The `queries/` folder.
    public let directory: URL

    public init(directory: String) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
    }

    /// The statement in `relativePath` (such as `migrate/record.sql`), labelled with its path for error messages.
    public func statement(_ relativePath: String) throws -> SQLStatement {
        let url = directory.appendingPathComponent(relativePath)
        do {
            return SQLStatement(try String(contentsOf: url, encoding: .utf8), source: displayPath(relativePath))
        } catch {
            throw NightlyError.missingFile(
                "the SQL file \(displayPath(relativePath)) cannot be read; check --queries (now \(directory.path))")
        }
    }

    /// The `.sql` files directly inside `folder`, sorted by name.
    public func files(in folder: String) throws -> [String] {
        let url = directory.appendingPathComponent(folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else {
            throw NightlyError.missingFile(
                "the SQL folder \(displayPath(folder)) cannot be read; check --queries (now \(directory.path))")
        }
        return names.filter { $0.hasSuffix(".sql") }.sorted().map { folder + "/" + $0 }
    }

    private func displayPath(_ relativePath: String) -> String {
        directory.lastPathComponent + "/" + relativePath
    }
}
