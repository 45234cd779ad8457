import Foundation
import NightlyCore
import Rendering

/// Renders the site's pages and each page's table downloads into the run's site files.
struct SitePages {
    let templates: TemplateSet

    /// The pages that only the reports step builds, with their titles.
    static let reportPages: [(name: String, title: String)] = [
        ("reconciliation", "Reconciliation"), ("analytics", "Cart analytics"), ("runbook", "Runbook"),
    ]

    /// Renders `model` with `templates/site/<name>.mustache` into `<name>.html`, and a CSV file per table.
    func add(_ name: String, _ model: Any, tables: [DataTable], into files: inout [String: String]) throws {
        files["\(name).html"] = try templates.render("site/\(name)", model)
        for table in tables {
            guard files[table.csvPath] == nil else {
                throw NightlyError.output("two tables of the site share the id \(table.id); give each table its own id")
            }
            files[table.csvPath] = table.csv
        }
    }

    /// Adds a page saying so for every report page this run did not build.
    func addMissingReportPages(now: Date, runID: UUID, into files: inout [String: String]) throws {
        for page in Self.reportPages where files["\(page.name).html"] == nil {
            files["\(page.name).html"] = try templates.render(
                "site/not_built", NotBuiltPage(now: now, runID: runID, title: page.title, step: .reports))
        }
    }
}
