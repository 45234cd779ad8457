import Foundation
import NightlyCore
import Rendering

/// Renders the site's pages and each page's table downloads into the run's site files.
struct SitePages {
    let templates: TemplateSet
    /// When the tables' data was taken (the run's clock), stamped into every CSV file.
    let dataTakenAt: Date

    /// The pages a single step builds, with their titles: a release without them gets a page saying so.
    static let stepPages: [(name: String, title: String, step: StepName)] = [
        ("reconciliation", "Reconciliation", .reports), ("analytics", "Cart analytics", .reports),
        ("runbook", "Runbook", .reports), ("emails", "Recovery e-mails", .recovery),
        ("email-gallery", "E-mail template gallery", .recovery),
    ]

    /// Renders `model` with `templates/site/<name>.mustache` into `<name>.html`, and a CSV file per table.
    func add(_ name: String, _ model: Any, tables: [DataTable], into files: inout [String: String]) throws {
        files["\(name).html"] = try templates.render("site/\(name)", model)
        for table in tables {
            guard files[table.csvPath] == nil else {
                throw NightlyError.output("two tables of the site share the id \(table.id); give each table its own id")
            }
            files[table.csvPath] = table.csv(takenAt: dataTakenAt)
        }
    }

    /// Adds a page saying so for every step page that neither this run built nor an earlier release holds.
    func addPlaceholders(
        now: Date, runID: UUID, into files: inout [String: String], isPublished: (String) -> Bool
    ) throws {
        for page in Self.stepPages where files["\(page.name).html"] == nil && !isPublished("\(page.name).html") {
            files["\(page.name).html"] = try templates.render(
                "site/not_built", NotBuiltPage(now: now, runID: runID, title: page.title, step: page.step))
        }
    }
}
