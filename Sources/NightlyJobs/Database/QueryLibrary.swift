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

/// Values a SQL file may bind by name. A file declares what it binds, in order, in a leading comment:
///
///     -- parameters: now, window_days
///
/// `$1` is then the value named `now`, `$2` the one named `window_days`. A file without the line binds nothing.
public struct NamedParameters {
    public let values: [String: any PostgresEncodable]

    public init(_ values: [String: any PostgresEncodable]) { self.values = values }

    /// The values `statement` declares, in its order; an unknown name is an error naming the file and line.
    public func bind(_ statement: SQLStatement) throws -> [any PostgresEncodable] {
        let key = "parameters:"
        for (number, line) in statement.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard line.hasPrefix("--") else { break }
            let comment = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard comment.hasPrefix(key) else { continue }
            let names = comment.dropFirst(key.count).split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return try names.map { name in
                guard let value = values[name] else {
                    throw NightlyError.badQueryFile(
                        "\(statement.source):\(number + 1): unknown parameter \"\(name)\"; this folder's files may bind \(values.keys.sorted().joined(separator: ", "))")
                }
                return value
            }
        }
        return []
    }
}
