import Foundation
import Testing
import TestSupport

@Suite("scripts/with-postgres.sh: a private throwaway cluster, removed afterwards")
struct ThrowawayServerTests {
    /// Runs a query through the script, as `user` when given (through runuser, which needs root).
    func runThroughScript(as user: String?) throws -> ProcessOutput {
        let script = Repository.root.appendingPathComponent("scripts/with-postgres.sh").path
        let query = "SELECT current_setting('listen_addresses') = '' AS private, current_setting('data_directory') AS data"
        let command = [script, "bash", "-c", "psql -XAtc \"\(query)\" && echo \"socket=$PGHOST\""]
        if let user {
            return try runProcess(try requireTool("runuser"), ["-u", user, "--"] + command, currentDirectory: URL(fileURLWithPath: "/tmp"))
        }
        return try runProcess(script, Array(command.dropFirst()), currentDirectory: URL(fileURLWithPath: "/tmp"))
    }

    @Test func startsAnswersOnlyOnItsSocketAndLeavesNothingBehind() throws {
        var users: [String?] = [nil]
        if getuid() == 0 { users.append("postgres") }  // root and an ordinary user both work
        for user in users {
            let result = try runThroughScript(as: user)
            #expect(result.status == 0, "as \(user ?? "caller"): \(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            let fields = try #require(lines.first?.split(separator: "|"))
            #expect(fields.first == "t", "listen_addresses is not empty: no TCP listener")
            let socket = try #require(lines.last.map { String($0.dropFirst("socket=".count)) })
            #expect(String(fields[1]).hasPrefix(socket), "the data lives in the private folder")
            #expect(!FileManager.default.fileExists(atPath: socket), "\(socket) was not removed")
        }
    }
}
