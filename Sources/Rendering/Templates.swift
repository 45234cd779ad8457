import Foundation
import Mustache

/// The Mustache templates of one folder, loaded once per run. Rendering an unknown template is an error,
/// never silently empty output.
public struct TemplateSet: Sendable {
    private let library: MustacheLibrary
    /// The folder the templates came from, for error messages.
    public let directory: String

    /// Loads every `*.mustache` file below `directory`, named by its relative path without the extension.
    public init(directory: String) async throws {
        self.directory = directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TemplateError(
                template: directory, message: "the templates folder \(directory) does not exist; pass --templates DIR")
        }
        MustacheContentTypes.register(HTMLEscaping(), named: "HTML")
        do {
            library = try await MustacheLibrary(directory: directory)
        } catch let error as MustacheLibrary.ParserError {
            throw TemplateError(
                template: error.filename,
                message: "\(error.filename):\(error.context.lineNumber):\(error.context.columnNumber): \(error.error) in \"\(error.context.line.trimmingCharacters(in: .whitespaces))\"")
        }
        try verifyReferences()
    }

    /// Throws, naming the file and line, when a template includes a partial (`{{>name}}`) or extends a parent
    /// (`{{<name}}`) that does not exist: swift-mustache would silently render nothing in its place.
    private func verifyReferences() throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return }
        let tag = try NSRegularExpression(pattern: #"\{\{\s*([<>])\s*([^*\s}][^\s}]*)\s*\}\}"#)
        for case let file as URL in files where file.pathExtension == "mustache" {
            let path = file.standardizedFileURL.path
            let relative = String(path.dropFirst(root.path.count + 1))
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = String(line)
                for match in tag.matches(in: line, range: NSRange(line.startIndex..., in: line)) {
                    guard let kindRange = Range(match.range(at: 1), in: line),
                        let nameRange = Range(match.range(at: 2), in: line)
                    else { continue }
                    let name = String(line[nameRange])
                    guard !contains(name) else { continue }
                    let kind = line[kindRange] == "<" ? "parent template" : "partial"
                    throw TemplateError(
                        template: relative,
                        message: "\(directory)/\(relative):\(index + 1): the \(kind) \"\(name)\" does not exist (no \(directory)/\(name).mustache)")
                }
            }
        }
    }

    /// Whether a template of that name exists.
    public func contains(_ name: String) -> Bool { library.getTemplate(named: name) != nil }

    /// Renders template `name` (such as `site/index`) with `context`, which must be readable without reflection:
    /// a `[String: Any]` or a view model conforming to `MustacheParent` (see `SiteViews+MustacheParent.swift`).
    public func render(_ name: String, _ context: Any) throws -> String {
        guard context is MustacheParent else {
            throw TemplateError(
                template: name,
                message: "the view model \(type(of: context)) given to \(directory)/\(name).mustache does not conform to MustacheParent, so every name would be looked up through reflection; add its conformance in Sources/Rendering")
        }
        guard let output = library.render(context, withTemplate: name) else {
            throw TemplateError(
                template: name, message: "the template \(directory)/\(name).mustache does not exist")
        }
        return output
    }
}

/// A template that is missing or does not parse: names the file and, where known, the line.
public struct TemplateError: Error, CustomStringConvertible, Sendable {
    public var template: String
    public var message: String
    public var description: String { message }
}
