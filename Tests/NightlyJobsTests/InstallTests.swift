import Foundation
import NightlyCore
import NightlyJobs
import Rendering
import Testing
import TestSupport

@Suite("make install: the installed binary runs from any folder, with mounted configuration")
struct InstallTests {
    let now = "2025-11-25T02:00:00Z"

    /// Runs `binary` in a new empty folder, as an operator would from anywhere, with a storefront of its own;
    /// returns the result and the folder.
    func runFromEmptyFolder(_ binary: String, _ arguments: [String]) throws -> (ProcessOutput, URL) {
        let folder = try makeTemporaryDirectory("cwd")
        return (try runProcess(binary, arguments, environment: storefrontEnvironment, currentDirectory: folder), folder)
    }

    /// The metric file of every step (more may follow, such as publishing's).
    var metricFiles: Set<String> {
        Set(StepList.names.map { "checkout_nightly_\($0.snakeCase).prom" })
    }

    /// The `.html` files below `folder`, links followed.
    func htmlFiles(_ folder: URL) throws -> [String] {
        try LinkedFolder(folder.path).files(withExtension: "html").map(\.path)
    }

    @Test func theInstalledBinaryPublishesTheWholeBatchFromAnEmptyFolder() throws {
        let tree = try InstalledTree.destdir()
        let database = try TestDatabase.seeded(carts: 300, now: testNow)
        let output = try makeTemporaryDirectory("installed-output")
        let (result, folder) = try runFromEmptyFolder(
            tree.binary, ["run", "--database-url", database.url, "--output", output.path, "--now", now])
        #expect(result.status == 0, "\(result.stderr)")
        let site = output.appendingPathComponent("site")
        for page in ["index", "reconciliation", "analytics", "jobs", "emails", "runbook"] {
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("\(page).html").path), "\(page).html")
        }
        let runbookTitle = try #require(
            try String(contentsOf: tree.share.appendingPathComponent("docs/runbook.md"), encoding: .utf8)
                .split(separator: "\n").first.map { String($0.dropFirst(2)) })
        #expect(try String(contentsOf: site.appendingPathComponent("runbook.html"), encoding: .utf8).contains(runbookTitle))
        let emails = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("emails").path)
        #expect(emails.filter { $0.hasSuffix(".eml") }.count > 0)
        let metrics = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("metrics").path)
        #expect(metricFiles.isSubset(of: metrics))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing is written to the working folder")
    }

    @Test func versionNamesTheReleaseTheCommitAndTheData() throws {
        let tree = try InstalledTree.destdir()
        let commit = try String(contentsOf: tree.share.appendingPathComponent(BuildInfo.commitFile), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(commit.range(of: #"^[0-9a-f]{12}(-dirty)?$"#, options: .regularExpression) != nil, "COMMIT holds \(commit)")
        let (installed, _) = try runFromEmptyFolder(tree.binary, ["--version"])
        #expect(installed.status == 0)
        #expect(installed.stdout == "checkout-nightly \(BuildInfo.version) (commit \(commit), installed data in \(tree.share.standardizedFileURL.path))\n")

        let git = try runProcess(
            try requireTool("git"), ["-C", Repository.root.path, "describe", "--always", "--dirty", "--abbrev=12", "--exclude=*"])
        let (development, _) = try runFromEmptyFolder(try checkoutNightlyBinary(), ["--version"])
        #expect(development.stdout.contains("(commit \(git.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), checkout data in "))
    }

    /// Kubernetes: a shop's templates from a ConfigMap (only what it changes), the queries from another, the
    /// output and textfile folders reached through links. The installed templates fill in the rest.
    @Test func mountedConfigMapsAndLinkedFoldersWork() throws {
        let tree = try InstalledTree.destdir()
        let database = try TestDatabase.seeded(carts: 300, now: testNow)
        let work = try makeTemporaryDirectory("configmap")

        let shop = work.appendingPathComponent("shop-templates")
        try FileManager.default.createDirectory(at: shop.appendingPathComponent("emails/de-DE"), withIntermediateDirectories: true)
        let layout = try String(contentsOf: tree.share.appendingPathComponent("templates/email_layout.mustache"), encoding: .utf8)
        try layout.replacingOccurrences(of: "{{shopName}}</td>", with: "{{shopName}} · Nordlicht edition</td>")
            .write(to: shop.appendingPathComponent("email_layout.mustache"), atomically: true, encoding: .utf8)
        try "{{% CONTENT_TYPE: TEXT}}\nMarke Nordlicht: {{percent}} Rabatt\n"
            .write(to: shop.appendingPathComponent("emails/de-DE/first_email_subject.mustache"), atomically: true, encoding: .utf8)
        let templates = work.appendingPathComponent("mounted-templates")
        try ConfigMapMount.make(at: templates, copying: shop)
        let queries = work.appendingPathComponent("mounted-queries")
        try ConfigMapMount.make(at: queries, copying: tree.share.appendingPathComponent("queries"))

        let output = work.appendingPathComponent("output-volume")
        let textfile = work.appendingPathComponent("node-exporter")
        for folder in [output, textfile] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent("output").path, withDestinationPath: output.path)
        try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent("textfile").path, withDestinationPath: "node-exporter")

        let (result, _) = try runFromEmptyFolder(tree.binary, [
            "run", "--database-url", database.url, "--now", now, "--templates", templates.path, "--queries", queries.path,
            "--output", work.appendingPathComponent("output").path, "--textfile-dir", work.appendingPathComponent("textfile").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("site/index.html").path))
        #expect(metricFiles.isSubset(of: try FileManager.default.contentsOfDirectory(atPath: textfile.path)))

        let pages = try htmlFiles(output.appendingPathComponent("emails")).map { try? String(contentsOfFile: $0, encoding: .utf8) }
        #expect(!pages.isEmpty)
        #expect(pages.allSatisfy { $0?.contains("Nordlicht edition") == true }, "every e-mail has the shop's layout")
        #expect(pages.contains { $0?.contains("<title>Marke Nordlicht:") == true }, "the German first e-mail has the shop's subject")
        #expect(!pages.contains { $0?.contains("<title>Ihr Warenkorb wartet") == true }, "the installed subject is replaced")
    }
}
