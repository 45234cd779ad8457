import Foundation
import Mustache
@testable import NightlyCore
import Rendering
import Testing
import TestSupport

/// The view models reach swift-mustache through `MustacheParent` (no `Mirror` at render time). These tests hold
/// each hand-written `child(named:)` to what reflection sees, for every stored property, recursively, so a
/// property added to a view model but not to its conformance fails here instead of rendering empty.
@Suite("Template contexts are read without reflection")
struct ContextParityTests {
    /// Types that are part of a view model's value but never a template's context.
    private static let notContexts = ["NightlyCore.RecoveryMessage", "NightlyCore.RecoveryLine"]

    private func expectParity(_ value: Any, _ path: String) {
        if let elements = value as? [Any] {
            for (index, element) in elements.enumerated() { expectParity(element, "\(path)[\(index)]") }
            return
        }
        let typeName = String(reflecting: type(of: value))
        guard typeName.hasPrefix("NightlyCore."), !Self.notContexts.contains(typeName) else { return }
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .struct else { return }
        guard let parent = value as? MustacheParent else {
            Issue.record("\(typeName) (at \(path)) is a template context without a MustacheParent conformance")
            return
        }
        for case let (label?, property) in mirror.children {
            let reflected = Self.unwrapped(property)
            let direct = parent.child(named: label)
            #expect(
                String(describing: reflected) == String(describing: direct),
                "\(typeName).\(label) (at \(path)): child(named:) must return the stored property")
            if let reflected { expectParity(reflected, "\(path).\(label)") }
        }
        #expect(parent.child(named: "noSuchProperty") == nil)
    }

    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }

    @Test func aViewModelWithoutAConformanceIsRefusedNotReflected() throws {
        struct Unreadable { var title = "T" }
        let templates = try TemplateSet(directory: Repository.templates)
        let error = #expect(throws: TemplateError.self) { try templates.render("site/not_built", Unreadable()) }
        #expect(error?.message.contains("does not conform to MustacheParent") == true)
        #expect(try templates.render("site/style.css", [String: String]()).contains("{"))
    }

    @Test func recoveryViewsMatchTheirProperties() {
        let settings = RecoverySettings()
        let formatting = LocalizedFormatting()
        var manyLines = RecoverySamples.message(
            RecoverySamples.all[0], stage: .firstEmail, locale: "en-US", settings: settings, now: testNow)
        manyLines.lines = (1...12).map {
            RecoveryLine(name: "Item \($0)", quantity: $0, unitPrice: 9.5, imageURL: $0.isMultiple(of: 2) ? "https://img.example/\($0).jpg" : nil)
        }
        var anonymous = manyLines
        anonymous.firstName = " "
        for message in [manyLines, anonymous] {
            expectParity(RecoveryEmailView(message, settings: settings, formatting: formatting), "email")
            expectParity(RecoveryPushView(message, settings: settings, formatting: formatting), "push")
        }
    }

    @Test func sitePagesMatchTheirProperties() throws {
        let runID = UUID()
        let bar = BarChart(
            id: "b", title: "T", description: "D", categoryAxisLabel: "C", valueAxisLabel: "V",
            values: [(label: "a", value: 8), (label: "b", value: 2)], format: { String(Int($0)) })
        let line = LineChart(
            id: "l", title: "T", description: "D", xAxisLabel: "X", yAxisLabel: "Y", labels: ["d1", "d2"],
            series: [(name: "s", values: [0, 50])], reference: (label: "target", value: 50), format: { String(Int($0)) })
        let table = DataTable(
            id: "t", caption: "C", columns: [TableColumn("A", numeric: true), TableColumn("B", code: true)],
            rows: [
                ["x", TableCell(links: [TableCell.Link(label: ".html", href: "a.html")])],
                ["x", TableCell("y", tone: .bad, frame: TableCell.Frame(src: "a.html", title: "Preview"))],
            ], groupedColumns: 1)
        expectParity(Figure(bar: bar, table: table), "bar figure")
        expectParity(Figure(line: line, table: table), "line figure")

        let report = StepReport(
            phase: .step("recovery"), outcome: .succeeded, startedAt: testNow, duration: 2, counts: ["sent_push": 3])
        expectParity(JobsPage(now: testNow, runID: runID, knownSteps: ["recovery"], recentRuns: ["recovery": [report]]), "jobs")
        expectParity(
            OverviewPage(
                now: testNow, runID: runID, dryRun: false, knownSteps: ["recovery"], steps: [report],
                recentRuns: ["recovery": [report]], histories: [:], reports: nil,
                selfChecks: SelfCheckResults(findings: [.codeMisuse: .init(columns: ["code"], rows: [["ABCD-EFGH"]])]),
                windowDays: 30),
            "overview")
        expectParity(RunbookPage(now: testNow, runID: runID, markdown: "# Runbook"), "runbook")
        expectParity(NotBuiltPage(now: testNow, runID: runID, title: "T", step: "reports"), "not built")
        let message = EmailReviewPage.Message(
            RecoverySamples.message(RecoverySamples.all[0], stage: .firstEmail, locale: "en-US", settings: RecoverySettings(), now: testNow),
            subject: "S", preview: "P", fileStem: "first_email-en-US-1")
        expectParity(
            EmailReviewPage(now: testNow, runID: runID, dryRun: true, messages: [message], page: 2, hasNext: true, gallery: [message]),
            "emails page")
        expectParity(
            EmailReviewIndex(now: testNow, runID: runID, dryRun: false, counts: ["first_email": ["en-US": 501]], pages: 2),
            "emails index")
        expectParity(InvestigationQuery(path: "queries/investigation/01.sql", sql: "SELECT 1"), "investigation")
        expectParity(Stat(label: "L", value: "1", detail: "d", tone: .good), "stat")
    }

    /// Every name a template reads (`{{name}}`, `{{{name}}}`, `{{&name}}`, `{{#name}}`, `{{^name}}`, the first part
    /// of `{{a.b}}`) must be answered by some view model's `child(named:)` in Sources/Rendering: a name nothing
    /// answers renders as nothing, without an error (the reconciliation page's `automaticRetries` section did).
    /// Layout blocks (`{{$name}}`), parents, partials and comments are no lookups and are left out.
    @Test func everyNameATemplateReadsIsAnsweredByAViewModel() throws {
        let sources = Repository.root.appendingPathComponent("Sources/Rendering")
        var answered = Set<String>()
        let answer = try NSRegularExpression(pattern: #"(?:case|name ==) "([A-Za-z_][A-Za-z0-9_]*)""#)
        for file in try FileManager.default.contentsOfDirectory(atPath: sources.path) where file.hasSuffix("MustacheParent.swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            answered.formUnion(Self.captures(answer, in: text))
        }
        #expect(answered.contains("stamp") && answered.contains("count"), "the conformances were read")

        let lookup = try NSRegularExpression(pattern: #"\{\{[{&#^]?\s*([A-Za-z_][A-Za-z0-9_]*)[A-Za-z0-9_.]*\s*\}?\}\}"#)
        let templates = URL(fileURLWithPath: Repository.templates)
        let files = FileManager.default.enumerator(atPath: templates.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".mustache") } ?? []
        #expect(files.contains("site/reconciliation.mustache"))
        for file in files.sorted() {
            let text = try String(contentsOf: templates.appendingPathComponent(file), encoding: .utf8)
            for name in Self.captures(lookup, in: text).sorted() where !answered.contains(name) {
                Issue.record("templates/\(file) reads \"\(name)\", which no child(named:) in Sources/Rendering answers")
            }
        }
    }

    private static func captures(_ expression: NSRegularExpression, in text: String) -> Set<String> {
        Set(expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        })
    }
}
