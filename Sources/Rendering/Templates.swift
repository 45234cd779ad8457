import Foundation
import Mustache
import NightlyCore

/// The Mustache templates of one or more folders, loaded once per run. Rendering an unknown template is an error,
/// never silently empty output.
public struct TemplateSet: Sendable {
    private let library: MustacheLibrary
    /// The folders the templates came from, highest precedence first.
    public let directories: [String]
    /// The file each template was read from, by template name.
    private let files: [String: String]

    /// Loads every `*.mustache` file below `directory`, named by its relative path without the extension.
    public init(directory: String) throws {
        try self.init(directories: [directory])
    }

    /// The templates for `--templates DIR`: that folder first, then the installed templates for what it lacks.
    public init(overriding directory: String, defaults: DataLocation = .current) throws {
        try self.init(directories: defaults.templateLayers(over: directory))
    }

    /// Loads every `*.mustache` file below each folder, named by its relative path without the extension; a
    /// template in an earlier folder replaces the one of the same name in a later folder, so a shop's folder
    /// may hold only what it changes. Symbolic links are followed (`LinkedFolder`); a folder or template that
    /// cannot be read is an error, never left out (which would put the installed template in its place).
    public init(directories: [String]) throws {
        self.directories = directories
        var files: [String: String] = [:]
        for directory in directories.reversed() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw TemplateError(
                    template: directory, message: "the templates folder \(directory) does not exist; pass --templates DIR")
            }
            do {
                for file in try LinkedFolder(directory).files(withExtension: "mustache") {
                    files[String(file.relative.dropLast(".mustache".count))] = file.path
                }
            } catch let error as LinkedFolder.Unreadable {
                throw TemplateError(
                    template: directory,
                    message: "\(error); let the batch's user read every folder and template of \(directory)")
            }
        }
        self.files = files
        // Before any template is parsed: `{{% CONTENT_TYPE: HTML}}` is looked up while parsing.
        MustacheContentTypes.register(HTMLEscaping(), named: "HTML")
        var library = MustacheLibrary()
        var texts: [(name: String, text: String)] = []
        for (name, path) in files.sorted(by: { $0.key < $1.key }) {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                let reason = access(path, R_OK) == 0 ? "it is not UTF-8 text" : String(cString: strerror(errno))
                throw TemplateError(template: name, message: "the template \(path) cannot be read (\(reason))")
            }
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw TemplateError(
                    template: name,
                    message: "\(path):\(error.context.lineNumber):\(error.context.columnNumber): \(error.error) in \"\(error.context.line.trimmingCharacters(in: .whitespaces))\"")
            }
            texts.append((name, text))
        }
        self.library = library
        try verifyReferences(texts)
    }

    /// Throws, naming the file and line, when a template includes a partial (`{{>name}}`) or extends a parent
    /// (`{{<name}}`) that does not exist: swift-mustache would silently render nothing in its place.
    private func verifyReferences(_ texts: [(name: String, text: String)]) throws {
        let tag = try NSRegularExpression(pattern: #"\{\{\s*([<>])\s*([^*\s}][^\s}]*)\s*\}\}"#)
        for (template, text) in texts {
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
                        template: template,
                        message: "\(path(of: template)):\(index + 1): the \(kind) \"\(name)\" does not exist (no \(path(of: name)))")
                }
            }
        }
    }

    /// The names of all templates, sorted.
    public var names: [String] { files.keys.sorted() }

    /// The file template `name` was read from, or where it would be in the first folder.
    public func path(of name: String) -> String {
        files[name] ?? "\(directories.first ?? "templates")/\(name).mustache"
    }

    /// Whether a template of that name exists.
    public func contains(_ name: String) -> Bool { library.getTemplate(named: name) != nil }

    /// Renders template `name` (such as `site/index`) with `context`, which must be readable without reflection:
    /// a `[String: Any]` or a view model conforming to `MustacheParent` (see `SiteViews+MustacheParent.swift`).
    public func render(_ name: String, _ context: Any) throws -> String {
        guard context is MustacheParent else {
            throw TemplateError(
                template: name,
                message: "the view model \(type(of: context)) given to \(path(of: name)) does not conform to MustacheParent, so every name would be looked up through reflection; add its conformance in Sources/Rendering")
        }
        guard let output = library.render(context, withTemplate: name) else {
            throw TemplateError(template: name, message: "the template \(path(of: name)) does not exist")
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
