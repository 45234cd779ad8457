import ArgumentParser
import Foundation
import NightlyCore
import NightlyJobs
import Postgres

/// `checkout-nightly forget`: erases one customer's personal data from the batch's tables and every release.
struct Forget: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erase one customer: cancel their pending notifications, revoke their codes, replace their data in the recovery ledger and outbox, and remove their messages from every release.",
        discussion: "Safe to run twice. Each run is recorded in checkout_nightly.erasures (when, who, counts; never the data). See docs/privacy.md.")

    @OptionGroup var options: CommonOptions

    @Option(help: "The customer's id (a UUID).")
    var customer: String?

    @Option(help: "The customer's e-mail address (case-insensitive).")
    var email: String?

    @Flag(help: "Print what would be erased and change nothing.")
    var dryRun = false

    @Option(help: "The output folder whose releases hold the customer's messages (default ./output).")
    var output: String?

    func run() async throws {
        let settings = try options.settings(adding: ["output": output, "dry_run": dryRun ? "true" : nil])
        let subject = try self.subject()
        try await reportingErrors {
            let connection = try Connection(url: settings.databaseURL, connectTimeout: settings.connectTimeout)
            let queries = QueryLibrary(directory: settings.queriesDirectory)
            try Migrator(queries: queries).requireCurrent(connection)
            let report = try CustomerErasure(queries: queries, outputDirectory: settings.outputDirectory).run(
                subject, connection: connection, now: settings.now ?? Date(), dryRun: settings.dryRun,
                osUser: CustomerErasure.operatingSystemUser
            ) {
                FileHandle.standardError.write(
                    Data("a run is publishing into \(settings.outputDirectory); the files are removed when it is done\n".utf8))
            }
            print(report.lines(dryRun: settings.dryRun).joined(separator: "\n"))
        }
    }

    /// The customer named by exactly one of `--customer` and `--email`; anything else exits 64.
    private func subject() throws -> CustomerErasure.Subject {
        switch (customer, email) {
        case (let id?, nil):
            guard let uuid = UUID(uuidString: id) else {
                throw fail(ConfigurationError(
                    setting: "customer", message: "--customer is \"\(id)\", which is not a customer id (a UUID such as 3f2c9a4e-…)"))
            }
            return .customerID(uuid)
        case (nil, let address?) where address.contains("@") && !address.contains(where: \.isWhitespace):
            return .email(address)
        case (nil, _?):
            throw fail(ConfigurationError(
                setting: "email", message: "--email is not an e-mail address (it needs an @ and no spaces)"))
        default:
            throw fail(ConfigurationError(
                setting: "customer", message: "forget needs exactly one of --customer ID and --email ADDRESS"))
        }
    }
}
