import Foundation
import Testing
import TestSupport

@Suite("scripts/with-postgres.sh: a private throwaway cluster, removed afterwards")
struct ThrowawayServerTests {
    /// Runs a query through a copy of the script in a folder of mode 0700 (as a clone in root's home, which no
    /// other user can enter), from inside that folder, as `user` when given (through runuser, which needs root;
    /// the folder is then that user's own) or else as the caller.
    func runThroughPrivateCopy(as user: String?) throws -> ProcessOutput {
        let clone = try makeTemporaryDirectory("private-clone")
        try FileManager.default.createDirectory(at: clone.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        let script = clone.appendingPathComponent("scripts/with-postgres.sh")
        try FileManager.default.copyItem(at: Repository.root.appendingPathComponent("scripts/with-postgres.sh"), to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: clone.path)
        if let user {
            let chown = try runProcess(try requireTool("chown"), ["-R", user, clone.path])
            guard chown.status == 0 else { throw TestEnvironmentError("chown failed: \(chown.stderr)") }
        }
        let query = "SELECT current_setting('listen_addresses') = '' AS private, current_setting('data_directory') AS data"
        let command = [script.path, "bash", "-c", "psql -XAtc \"\(query)\" && echo \"socket=$PGHOST\""]
        if let user {
            return try runProcess(try requireTool("runuser"), ["-u", user, "--"] + command, currentDirectory: clone)
        }
        return try runProcess(script.path, Array(command.dropFirst()), currentDirectory: clone)
    }

    @Test func startsAnswersOnlyOnItsSocketAndLeavesNothingBehind() throws {
        var users: [String?] = [nil]
        if getuid() == 0 { users.append("postgres") }  // root (the server then runs as postgres) and an ordinary user
        for user in users {
            let result = try runThroughPrivateCopy(as: user)
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
