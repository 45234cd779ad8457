import Foundation
import Testing
import TestSupport

/// Hostile configuration through the real command line: exit 64 and one sentence naming the setting and where
/// it was set, before any connection (no database is needed: PGHOST points nowhere).
@Suite("The command line: hostile configuration exits 64")
struct ConfigurationExitTests {
    /// The config file's text (nil: none), extra environment, arguments after `run`, and what the sentence says.
    @Test(arguments: [
        ("output = /tmp/x\r\nlock_timeout = inf\r\n", [String: String](), [String](),
         "configuration: lock_timeout is \"inf\", which is not a duration", "(set in CONFIG:2)"),
        ("\u{FEFF}statement_timeout = 30d\n", [:], [],
         "configuration: statement_timeout is \"30d\", longer than the 2147483647ms", "(set in CONFIG:1)"),
        ("output = /tmp/a\r\n\r\noutput = /tmp/b\r\n", [:], [], "configuration: output is set twice, first at CONFIG:1", "(set in CONFIG:3)"),
        ("now = 2026-11-25T02:00:00Z\n", [:], [], "configuration: now may only be given on the command line", "(set in CONFIG:1)"),
        (nil, ["CHECKOUT_NIGHTLY_NOW": "2026-11-25T02:00:00Z"], [], "configuration: now may only be given on the command line",
         "(set in CHECKOUT_NIGHTLY_NOW)"),
        (nil, ["CHECKOUT_NIGHTLY_CONNECT_TIMEOUT": "500ms"], [], "configuration: connect_timeout is \"500ms\"",
         "(set in CHECKOUT_NIGHTLY_CONNECT_TIMEOUT)"),
        (nil, ["CHECKOUT_NIGHTLY_RECOVERY_BASE_URL": "https://shop.example.com"], ["--only", "recovery"],
         "configuration: recovery_base_url is still the shipped example", "(set in CHECKOUT_NIGHTLY_RECOVERY_BASE_URL)"),
        (nil, ["CHECKOUT_NIGHTLY_WAREHOUSE_BASE_URL": "http://127.0.0.1:9/api?tenant=1"], ["--only", "reservation-retry"],
         "configuration: warehouse_base_url is \"http://127.0.0.1:9/api?tenant=1\", which has a query or fragment",
         "(set in CHECKOUT_NIGHTLY_WAREHOUSE_BASE_URL)"),
        (nil, [:], ["--templates", "/nonexistent/templates"],
         "configuration: templates is \"/nonexistent/templates\", whose templates cannot be used: the templates folder /nonexistent/templates does not exist",
         "(set on the command line)"),
        (nil, [:], ["--queries", "/nonexistent/queries"],
         "configuration: queries is \"/nonexistent/queries\", which is not a folder of the batch's SQL files", "(set on the command line)"),
        ("docs = /nonexistent/docs\n", [:], [], "configuration: docs is \"/nonexistent/docs\", which holds no runbook.md", "(set in CONFIG:1)"),
        (nil, ["CHECKOUT_NIGHTLY_DOCS": "/nonexistent/docs"], ["--only", "reports"], "configuration: docs is", "(set in CHECKOUT_NIGHTLY_DOCS)"),
        ("# nightly\nexpired_session_batch_size = 3000000000\n", [:], ["--dry-run"],
         "configuration: expired_session_batch_size is \"3000000000\", larger than the 2147483647 it may be at most", "(set in CONFIG:2)"),
        (nil, ["CHECKOUT_NIGHTLY_STUCK_CART_BATCH_SIZE": "2147483648"], ["--dry-run", "--only", "stuck-carts"],
         "configuration: stuck_cart_batch_size is \"2147483648\", larger than", "(set in CHECKOUT_NIGHTLY_STUCK_CART_BATCH_SIZE)"),
        (nil, ["CHECKOUT_NIGHTLY_WAREHOUSE_BASE_URL": "https://warehouse.test", "CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN_FILE": "/nonexistent/token"],
         ["--dry-run"], "configuration: warehouse_token_file is \"/nonexistent/token\", which cannot be read",
         "(set in CHECKOUT_NIGHTLY_WAREHOUSE_TOKEN_FILE)"),
        ("warehouse_base_url = https://warehouse.test\n", [:], ["--dry-run"],
         "configuration: warehouse_base_url is set, but the warehouse service's bearer token is missing", "(set in CONFIG:1)"),
        ("output = /srv/site   # where nginx serves from\n", [:], [], "configuration: the value of output holds \" #\"", "(set in CONFIG:1)"),
    ] as [(String?, [String: String], [String], String, String)])
    func badConfigurationIs64WithItsOrigin(
        _ file: String?, _ environment: [String: String], _ arguments: [String], _ sentence: String, _ origin: String
    ) throws {
        let folder = try makeTemporaryDirectory("config")
        let path = folder.appendingPathComponent("checkout-nightly.conf").path
        let result = try runBatch(in: folder, file: file, environment: environment, arguments)
        expectRefused(result, in: folder, sentence.replacingOccurrences(of: "CONFIG", with: path),
                      origin.replacingOccurrences(of: "CONFIG", with: path))
    }

    /// A connection string libpq cannot parse: exit 64 naming the setting and where it was set, and not a piece
    /// of its password (libpq's own message quotes it: `invalid percent-encoded token: "Sum%mer2026!"`).
    @Test(arguments: [
        (nil, ["CHECKOUT_NIGHTLY_DATABASE_URL": "postgresql://checkout_nightly_batch:Sum%mer2026!@orders-db.internal/orders"],
         "database_url", "(set in CHECKOUT_NIGHTLY_DATABASE_URL)"),
        ("report_database_url = postgresql://checkout_nightly_reports:Sum%mer2026!@replica.internal/orders\n", [:],
         "report_database_url", "(set in CONFIG:1)"),
        ("# primary\ndatabase_url = host=orders-db.internal user=checkout_nightly_batch password=Sum mer2026!\n", [:],
         "database_url", "(set in CONFIG:2)"),
    ] as [(String?, [String: String], String, String)])
    func aConnectionStringLibpqCannotParseIs64WithoutItsPassword(
        _ file: String?, _ environment: [String: String], _ setting: String, _ origin: String
    ) throws {
        let folder = try makeTemporaryDirectory("config")
        let path = folder.appendingPathComponent("checkout-nightly.conf").path
        let result = try runBatch(in: folder, file: file, environment: environment, ["--dry-run"])
        expectRefused(result, in: folder, "configuration: \(setting) cannot be used: libpq cannot parse the connection string",
                      origin.replacingOccurrences(of: "CONFIG", with: path))
        for piece in ["Sum", "mer2026", "%mer"] {
            #expect(!result.stderr.contains(piece), "a piece of the password reached standard error: \(result.stderr)")
        }
    }

    /// A shop's templates folder the batch cannot use, through the real command line as a user the permission
    /// bits apply to (`postgres` when the tests run as root): never left out, so the installed templates are never
    /// used in its place.
    @Test(arguments: ["a folder it cannot list", "a template it cannot read", "a link to a template that is gone", "a broken template"])
    func aShopsTemplatesFolderItCannotUseIs64(_ problem: String) throws {
        let folder = try makeTemporaryDirectory("config")
        let templates = folder.appendingPathComponent("shop-templates")
        let subject = templates.appendingPathComponent("emails/en-US/first_email_subject.mustache")
        try FileManager.default.createDirectory(at: subject.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "{{#percent}}Your cart\n".write(to: subject, atomically: true, encoding: .utf8)
        let layout = templates.appendingPathComponent("email_layout.mustache")
        let phrase: String
        switch problem {
        case "a folder it cannot list":
            try FileManager.default.removeItem(at: subject)
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: templates.path)
            phrase = "\(templates.path) cannot be read (Permission denied)"
        case "a template it cannot read":
            try FileManager.default.removeItem(at: subject)
            try "<html>{{$body}}{{/body}}</html>".write(to: layout, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: layout.path)
            phrase = "the template \(layout.path) cannot be read (Permission denied)"
        case "a link to a template that is gone":
            try FileManager.default.removeItem(at: subject)
            try FileManager.default.createSymbolicLink(atPath: layout.path, withDestinationPath: "../gone/email_layout.mustache")
            phrase = "\(layout.path) cannot be read (No such file or directory)"
        default:
            phrase = "\(subject.path):2:1"
        }
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: templates.path) }
        let result = try runBatch(
            in: folder, file: nil, environment: [:], ["--dry-run", "--only", "recovery", "--templates", templates.path],
            asUnprivilegedUser: true)
        expectRefused(result, in: folder, "configuration: templates is \"\(templates.path)\", whose templates cannot be used: ",
                      "(set on the command line)")
        #expect(result.stderr.contains(phrase), "\(result.stderr)")
    }

    /// `warehouse_token_file`: a file others may read is refused, as libpq refuses such a password file; group
    /// read access is accepted only on a file of root's, which is how a Kubernetes Secret with fsGroup and
    /// `defaultMode: 0440` (deploy/kubernetes/cronjobs.yaml) and a systemd credential read through an ACL look.
    /// An accepted file lets the run go on to the database (here unreachable: exit 69).
    @Test func aTokenFileOthersMayReadIsRefused() throws {
        let cronjobs = try String(
            contentsOf: Repository.root.appendingPathComponent("deploy/kubernetes/cronjobs.yaml"), encoding: .utf8)
        #expect(cronjobs.contains("secret: {secretName: checkout-nightly-warehouse, optional: true, defaultMode: 0440}"))
        // The mode, the file's owner (nil: the caller), and the phrase of the refusal (nil: accepted).
        var cases: [(mode: Int, owner: String?, refusal: String?)] = [
            (0o644, nil, "which others may read or change (mode 0644)"),
            (0o604, nil, "which others may read or change (mode 0604)"),
            (0o660, nil, "which its group may change (mode 0660)"),
            (0o600, nil, nil),
            (0o400, nil, nil),
        ]
        if getuid() == 0 {
            cases += [(0o640, "postgres", "which its group may read (mode 0640) though it is not root's"), (0o440, "root", nil), (0o640, "root", nil)]
        } else {
            cases += [(0o640, nil, "which its group may read (mode 0640) though it is not root's")]
        }
        for (mode, owner, refusal) in cases {
            let folder = try makeTemporaryDirectory("config")
            // Laid out as the kubelet mounts a Secret: the path named is a link through `..data`.
            let secret = folder.appendingPathComponent("secret-source")
            try FileManager.default.createDirectory(at: secret, withIntermediateDirectories: true)
            try "abcDEF123tokenvalue\n".write(to: secret.appendingPathComponent("token"), atomically: true, encoding: .utf8)
            let mount = folder.appendingPathComponent("warehouse")
            try ConfigMapMount.make(at: mount, copying: secret)
            let file = mount.appendingPathComponent(ConfigMapMount.versionFolder + "/token").path
            if let owner {
                let chown = try runProcess(try requireTool("chown"), [owner, file])
                try #require(chown.status == 0, "\(chown.stderr)")
            }
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
            let token = mount.appendingPathComponent("token").path
            let result = try runBatch(
                in: folder, file: "warehouse_base_url = https://warehouse.test\nwarehouse_token_file = \(token)\n",
                environment: ["PGCONNECT_TIMEOUT": "2"], ["--dry-run", "--only", "reservation-retry"])
            let label = "mode \(String(mode, radix: 8)), owner \(owner ?? "the caller")"
            if let refusal {
                expectRefused(result, in: folder, "configuration: warehouse_token_file is \"\(token)\", \(refusal)",
                              "(set in \(folder.appendingPathComponent("checkout-nightly.conf").path):2)")
            } else {
                #expect(result.status == 69 && result.stderr.contains("database unreachable"), "\(label): \(result.stderr)")
            }
            #expect(!result.stderr.contains("abcDEF123tokenvalue"), "\(label)")
        }
    }

    /// Runs `checkout-nightly run --output <folder>/output` with `arguments`, the config file `file` (nil: none),
    /// a storefront of its own and `environment`, with no database to reach. `asUnprivilegedUser` runs it as
    /// `postgres` when the tests run as root, so that permission bits apply.
    func runBatch(
        in folder: URL, file: String?, environment: [String: String], _ arguments: [String], asUnprivilegedUser: Bool = false
    ) throws -> ProcessOutput {
        let path = folder.appendingPathComponent("checkout-nightly.conf").path
        var variables = storefrontEnvironment.merging(environment) { _, new in new }
        variables["PGHOST"] = "/nonexistent-socket-folder"
        if let file {
            try Data(file.utf8).write(to: URL(fileURLWithPath: path))
            variables["CHECKOUT_NIGHTLY_CONFIG"] = path
        }
        let command = [try checkoutNightlyBinary(), "run", "--output", folder.appendingPathComponent("output").path] + arguments
        guard asUnprivilegedUser, getuid() == 0 else {
            return try runProcess(command[0], Array(command.dropFirst()), environment: variables, currentDirectory: Repository.root)
        }
        let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return try runProcess(
            try requireTool("runuser"), ["-u", "postgres", "--", "env"] + assignments + command, currentDirectory: Repository.root)
    }

    /// Exit 64, one line on standard error holding `sentence` and `origin`, and no output folder.
    func expectRefused(_ result: ProcessOutput, in folder: URL, _ sentence: String, _ origin: String) {
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one sentence: \(result.stderr)")
        #expect(result.stderr.contains(sentence), "\(result.stderr)")
        #expect(result.stderr.contains(origin), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("output").path), "nothing written")
    }
}
