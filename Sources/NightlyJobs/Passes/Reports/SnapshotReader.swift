import Foundation
import NightlyCore
import Postgres

/// Runs read-only statements on several connections that share one snapshot, so their results agree as if one
/// transaction had read them all: the first connection opens a REPEATABLE READ READ ONLY transaction and exports
/// its snapshot, the others open theirs on it. Each connection takes the next statement in the order given
/// (heaviest first balances them) and streams its rows into a table. Every transaction first runs `settings`.
final class SnapshotReader: @unchecked Sendable {
    /// One statement, the values it binds, and whether its cells are kept as the server's text (self-checks)
    /// or typed by column (reports).
    struct Read {
        let statement: SQLStatement
        let values: [any PostgresEncodable]
        var asText = false
    }

    private let connections: [Connection]
    private let settings: SQLStatement
    private let reads: [Read]
    private let lock = NSLock()
    private var next = 0
    private var tables: [ReportTable?]
    private var failure: Error?

    /// - Parameters:
    ///   - connections: the sessions to read on, each used by one task at a time; the first exports the snapshot.
    ///   - settings: the statement each transaction runs before the reads (`queries/run/report_settings.sql`).
    ///   - reads: the statements, heaviest first.
    init(connections: [Connection], settings: SQLStatement, reads: [Read]) {
        precondition(!connections.isEmpty, "a snapshot reader needs a connection")
        self.connections = connections
        self.settings = settings
        self.reads = reads
        tables = Array(repeating: nil, count: reads.count)
    }

    /// Every read's rows, in the order of `reads`. A failing statement stops the others at their next statement,
    /// rolls every transaction back and is rethrown.
    func run() async throws -> [ReportTable] {
        let snapshot = try connections[0].beginReadOnlyExportingSnapshot()
        var open = [connections[0]]
        do {
            try connections[0].execute(settings)
            for connection in connections.dropFirst() {
                try connection.beginReadOnly(snapshot: snapshot)
                open.append(connection)
                try connection.execute(settings)
            }
        } catch {
            for connection in open { try? connection.rollback() }
            throw error
        }
        await withTaskGroup(of: Void.self) { group in
            for worker in connections.indices { group.addTask { self.work(on: worker) } }
        }
        if let failure {
            for connection in connections { try? connection.rollback() }
            throw failure
        }
        for connection in connections { try connection.commit() }
        return tables.compactMap { $0 }
    }

    /// Takes the next read on connection `worker` until none is left or one has failed.
    private func work(on worker: Int) {
        let connection = connections[worker]
        while let index = take() {
            do {
                let table = try Self.table(reads[index], connection)
                lock.withLock { tables[index] = table }
            } catch {
                lock.withLock { failure = failure ?? error }
            }
        }
    }

    private func take() -> Int? {
        lock.withLock {
            guard failure == nil, next < reads.count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    private static func table(_ read: Read, _ connection: Connection) throws -> ReportTable {
        var table = ReportTable(source: read.statement.source, columns: [], rows: [])
        try connection.stream(read.statement, read.values) { row in
            if table.columns.isEmpty { table.columns = row.columnNames }
            table.rows.append(try (0..<row.columnCount).map { column in
                read.asText ? .text(row.text(at: column) ?? "") : try ReportQueries.value(row, column)
            })
        }
        return table
    }
}
