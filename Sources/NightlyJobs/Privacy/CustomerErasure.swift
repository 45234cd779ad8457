import Foundation
import NightlyCore
import Postgres

/// Erases one customer on request (`checkout-nightly forget`, docs/privacy.md). In one transaction: cancels the
/// customer's notifications not dispatched yet, revokes their unredeemed codes, replaces the personal fields of
/// their recovery-ledger and outbox rows with the marker `[erased]` (the counts the reports need stay) and records
/// the erasure in `checkout_nightly.erasures` (counts only). Then removes their rendered messages and review rows
/// from every release under the output folder. Running it again changes nothing more.
public struct CustomerErasure {
    /// How the request names the customer.
    public enum Subject: Sendable {
        case customerID(UUID)
        case email(String)

        /// How the audit table records the kind of identifier (never the value).
        var kind: String {
            switch self {
            case .customerID: "customer_id"
            case .email: "email"
            }
        }
    }

    let queries: QueryLibrary
    let releases: KeptReleases

    public init(queries: QueryLibrary, outputDirectory: String) {
        self.queries = queries
        releases = KeptReleases(outputDirectory: outputDirectory)
    }

    /// Thrown inside the transaction of a dry run to roll it back with the counts it would have changed.
    private struct RolledBack: Error {
        let report: ErasureReport
        let messages: [UUID]
    }

    /// Erases `subject` as of `now`, recording `osUser` as who ran it; with `dryRun` changes nothing and reports
    /// what it would change (the same statements run in a transaction that is rolled back). The releases are
    /// changed holding the output folder's lock, after a run that is publishing now (`waitingForOutput` is called
    /// first when one is), so no run carries over a file this removes.
    public func run(
        _ subject: Subject, connection: Connection, now: Date, dryRun: Bool, osUser: String,
        waitingForOutput: () -> Void
    ) throws -> ErasureReport {
        var report: ErasureReport
        var auditID: Int64?
        var messageIDs: [UUID]
        do {
            (report, auditID, messageIDs) = try connection.transaction { connection in
                let (report, messages) = try clearDatabaseRows(subject, connection: connection, now: now)
                if dryRun { throw RolledBack(report: report, messages: messages) }
                let audit = try connection.queryFirst(
                    try queries.statement("privacy/record_erasure.sql"),
                    [now, osUser, subject.kind, report.messagesCleared, report.outboxCancelled, report.outboxCleared,
                     report.codesRevoked]
                ) { try $0.decode("id", as: Int64.self) }
                return (report, audit, messages)
            }
        } catch let rolledBack as RolledBack {
            (report, messageIDs) = (rolledBack.report, rolledBack.messages)
        }
        let outputLock = FileManager.default.fileExists(atPath: releases.outputDirectory.path)
            ? try OutputLock(outputDirectory: releases.outputDirectory, waiting: waitingForOutput) : nil
        defer { outputLock?.release() }
        let releaseNames = releases.names()
        let removal = try releases.removeMessages(messageIDs, from: releaseNames, dryRun: dryRun)
        report.filesRemoved = removal.files
        report.reviewRowsRemoved = removal.reviewRows
        report.releasesSearched = releaseNames.count
        if let auditID {
            try connection.execute(try queries.statement("privacy/record_files_removed.sql"), [auditID, removal.files])
        }
        return report
    }

    /// The database part, inside the caller's transaction: the customer's sends are serialised with the
    /// recovery pass's (its per-customer lock), then every statement runs once over all their messages.
    private func clearDatabaseRows(_ subject: Subject, connection: Connection, now: Date) throws
        -> (ErasureReport, [UUID])
    {
        var report = ErasureReport()
        let customers = try customerIDs(subject, connection: connection)
        report.customers = customers.count
        let lock = try queries.statement("privacy/lock_customer.sql")
        for customer in customers { try connection.execute(lock, [customer]) }
        let messages = try connection.query(try queries.statement("privacy/message_ids.sql"), [customers]) {
            try $0.decode("id", as: UUID.self)
        }
        report.outboxCancelled = try connection.execute(try queries.statement("privacy/cancel_outbox.sql"), [messages, now])
        report.codesRevoked = try connection.execute(try queries.statement("privacy/revoke_codes.sql"), [customers, now])
        report.messagesCleared = try connection.execute(try queries.statement("privacy/clear_messages.sql"), [messages, now])
        report.outboxCleared = try connection.execute(try queries.statement("privacy/clear_outbox.sql"), [messages, now])
        return (report, messages)
    }

    private func customerIDs(_ subject: Subject, connection: Connection) throws -> [UUID] {
        let (id, email): (UUID?, String?) = switch subject {
        case .customerID(let id): (id, nil)
        case .email(let address): (nil, address)
        }
        return try connection.query(try queries.statement("privacy/customer_ids.sql"), [id, email]) {
            try $0.decode("customer_id", as: UUID.self)
        }
    }

    /// The operating-system user running this process, for the audit table.
    public static var operatingSystemUser: String {
        guard let entry = getpwuid(geteuid()) else { return "uid \(geteuid())" }
        return String(cString: entry.pointee.pw_name)
    }
}
