import Foundation
import NightlyCore
import Rendering

/// A page of the site that one step builds, named so that a release without it can say which step would.
public struct StepPage: Sendable {
    /// The page's file name without `.html`, which is also its template's name under `site/`.
    public var name: String
    public var title: String

    public init(_ name: String, title: String) {
        self.name = name
        self.title = title
    }
}

/// Renders the site's pages and each page's table downloads straight into the staged release's `site/`.
public final class SiteWriter {
    public let folder: ReleaseFolder
    let templates: TemplateSet
    /// When the tables' data was taken (the run's clock), stamped into every CSV file.
    let dataTakenAt: Date
    /// The CSV files written in this run, so that two tables never share one.
    private var csvPaths: Set<String> = []

    init(folder: ReleaseFolder, templates: TemplateSet, dataTakenAt: Date) {
        self.folder = folder
        self.templates = templates
        self.dataTakenAt = dataTakenAt
    }

    /// Renders `model` with `templates/site/<template>.mustache` into `<name>.html`, and a CSV file per table.
    public func page(_ name: String, template: String? = nil, _ model: Any, tables: [DataTable]) throws {
        try folder.write(try templates.render("site/\(template ?? name)", model), to: "\(name).html")
        for table in tables {
            guard csvPaths.insert(table.csvPath).inserted else {
                throw NightlyError.output("two tables of the site share the id \(table.id); give each table its own id")
            }
            try folder.write(table.csv(takenAt: dataTakenAt), to: table.csvPath)
        }
    }

    /// Writes a file of the site as it is (a stylesheet, a copy of a query).
    public func file(_ path: String, _ text: String) throws {
        try folder.write(text, to: path)
    }

    /// Adds a page saying so for every step page that neither this run built nor an earlier release holds.
    func placeholders(for steps: [any NightlyStep], now: Date, runID: UUID) throws {
        for step in steps {
            for page in step.pages where !folder.contains("\(page.name).html") {
                try folder.write(
                    try templates.render(
                        "site/not_built", NotBuiltPage(now: now, runID: runID, title: page.title, step: step.name)),
                    to: "\(page.name).html")
            }
        }
    }
}
