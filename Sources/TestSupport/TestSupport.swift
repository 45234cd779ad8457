import Foundation
import NightlyCore
import NightlyJobs
import Postgres

/// Paths of the repository the tests run in.
public enum Repository {
    /// The checkout's root folder.
    public static let root: URL = {
        if let root = ProcessInfo.processInfo.environment["CHECKOUT_NIGHTLY_REPO"] {
            return URL(fileURLWithPath: root, isDirectory: true)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }()

    public static var queries: String { root.appendingPathComponent("queries").path }
    public static var templates: String { root.appendingPathComponent("templates").path }
    public static var docs: String { root.appendingPathComponent("docs").path }
    public static var fixtures: URL { root.appendingPathComponent("Tests/Fixtures", isDirectory: true) }
}

/// A failure of the test environment itself (not of the code under test).
public struct TestEnvironmentError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A database of its own for one test, in the throwaway cluster `make test` started, so tests run in parallel.
public struct TestDatabase: Sendable {
    public let name: String

    /// A libpq keyword string for this database; host, port and user come from the `PG*` variables.
    public var url: String { "dbname=\(name)" }

    /// Creates an empty database, migrated unless `migrated` is false. Fails loudly without a server.
    public static func create(migrated: Bool = true) throws -> TestDatabase {
        guard ProcessInfo.processInfo.environment["PGHOST"] != nil else {
            throw TestEnvironmentError(
                "PGHOST is not set: database tests need the throwaway PostgreSQL that `make test` starts")
        }
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let admin = try Connection(url: "dbname=postgres")
        try admin.execute(SQLStatement("CREATE DATABASE \(name)", source: "test setup"))
        let database = TestDatabase(name: String(name))
        if migrated {
            try Migrator(queries: QueryLibrary(directory: Repository.queries)).migrate(try database.connect())
        }
        return database
    }

    /// Opens a new connection to this database.
    public func connect() throws -> Connection { try Connection(url: url) }

    /// A migrated database seeded with `carts` carts as of `now`.
    public static func seeded(carts: Int, now: Date, randomSeed: Int64 = 42) throws -> TestDatabase {
        let database = try create()
        try Seeder(queries: QueryLibrary(directory: Repository.queries)).seed(
            try database.connect(), carts: carts, now: now, randomSeed: randomSeed)
        return database
    }

    /// An order-independent checksum of every row of `tables`, to prove that something changed nothing.
    public func checksum(of tables: [String]) throws -> String {
        let connection = try connect()
        return try tables.map { table in
            try connection.queryFirst(
                SQLStatement(
                    "SELECT md5(COALESCE(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) AS sum FROM \(table) AS t",
                    source: "test checksum")
            ) { try $0.decode("sum", as: String.self) } ?? ""
        }.joined(separator: ":")
    }
}

/// A fresh empty folder under the system's temporary folder.
public func makeTemporaryDirectory(_ label: String = "test") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("checkout-nightly-\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// What a child process printed and how it ended.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs an executable to completion, with extra environment variables, and captures its output.
/// `stdinFile`, when given, becomes the process's standard input.
public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                       currentDirectory: URL? = nil, stdinFile: String? = nil) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let stdoutFile = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
    let stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("err-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
    FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: stdoutFile)
        try? FileManager.default.removeItem(at: stderrFile)
    }
    process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
    process.standardError = try FileHandle(forWritingTo: stderrFile)
    process.standardInput = try stdinFile.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) }
        ?? FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return ProcessOutput(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "")
}

/// Finds a command on PATH (or in the usual system folders), failing loudly when it is not installed.
public func requireTool(_ name: String) throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for folder in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/usr/sbin"] {
        let candidate = folder + "/" + name
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw TestEnvironmentError("\(name) is not installed: run scripts/install-deps.sh (make test does)")
}

/// The built `checkout-nightly` executable.
public func checkoutNightlyBinary() throws -> String {
    if let path = ProcessInfo.processInfo.environment["CHECKOUT_NIGHTLY_BIN"],
        FileManager.default.isExecutableFile(atPath: path)
    {
        return path
    }
    let candidate = Repository.root.appendingPathComponent(".build/debug/checkout-nightly").path
    guard FileManager.default.isExecutableFile(atPath: candidate) else {
        throw TestEnvironmentError("the checkout-nightly executable is not built: run `make test`")
    }
    return candidate
}

/// Settings for a run of the batch against `database`, writing into `output`.
public func testSettings(database: TestDatabase, output: URL, now: Date, steps: [StepName]? = nil)
    -> Settings
{
    var settings = Settings()
    settings.databaseURL = database.url
    settings.outputDirectory = output.path
    settings.queriesDirectory = Repository.queries
    settings.templatesDirectory = Repository.templates
    settings.docsDirectory = Repository.docs
    settings.now = now
    settings.steps = steps
    // The holdout key is random per database: a test that holds customers out sets the percent itself.
    settings.recovery.holdoutPercent = 0
    return settings
}

/// A fixed clock for tests: 2025-11-25T02:00:00Z. In the past, because a run refuses a `--now` ahead of the
/// database's clock, and tests replay days after it.
public let testNow = Date(timeIntervalSince1970: 1_764_036_000)

/// A TCP port on 127.0.0.1 that was free a moment ago, for a server a test starts.
public func freeLoopbackPort() throws -> Int {
    let python = try requireTool("python3")
    let output = try runProcess(
        python, ["-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
    guard let port = Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        throw TestEnvironmentError("could not find a free loopback port: \(output.stderr)")
    }
    return port
}

/// Compares `text` with the golden file `Tests/Fixtures/<name>`; with `RECORD_GOLDEN=1` in the environment it
/// writes the file instead. Returns nil when they match, else a message saying how to look at the difference.
public func goldenMismatch(_ text: String, named name: String) throws -> String? {
    let url = Repository.fixtures.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return nil
    }
    guard let golden = try? String(contentsOf: url, encoding: .utf8) else {
        return "golden file \(url.path) is missing; record it with RECORD_GOLDEN=1"
    }
    guard golden != text else { return nil }
    let actual = url.deletingPathExtension().appendingPathExtension("actual." + url.pathExtension)
    try? text.write(to: actual, atomically: true, encoding: .utf8)
    return "\(name) differs from its golden file: diff \(url.path) \(actual.path) (re-record with RECORD_GOLDEN=1)"
}

/// A deterministic random number generator (SplitMix64) for tests that need repeatable "random" codes and tokens.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Connection {
    /// The number a test's counting query returns in its one column `n`.
    public func count(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> Int {
        try queryFirst(SQLStatement(sql, source: "test count"), parameters) { try $0.decode("n", as: Int.self) } ?? 0
    }
}

/// The recovery storefront settings a real (not dry) recovery run needs instead of the shipped examples, as
/// environment variables: merge them into the environment of a `checkout-nightly run` that sends.
public let storefrontEnvironment = [
    "CHECKOUT_NIGHTLY_RECOVERY_BASE_URL": "https://shop.checkout-nightly.test",
    "CHECKOUT_NIGHTLY_RECOVERY_SENDER": "Test Shop <shop@checkout-nightly.test>",
    "CHECKOUT_NIGHTLY_RECOVERY_UNSUBSCRIBE_MAILBOX": "unsubscribe@checkout-nightly.test",
    "CHECKOUT_NIGHTLY_RECOVERY_POSTAL_ADDRESS": "Test Shop · 1 Test Street · Testville",
    // The holdout key is random per database: a test that holds customers out sets the percent itself.
    "CHECKOUT_NIGHTLY_RECOVERY_HOLDOUT_PERCENT": "0",
]
