import Foundation
import NightlyCore
import Rendering
import Testing
import TestSupport

@Suite("Template folders: links followed, ConfigMap mounts, a shop's templates over the installed ones")
struct TemplateFolderTests {
    @Test func aConfigMapMountLoadsLikeThePlainFolder() throws {
        let mount = try makeTemporaryDirectory("configmap").appendingPathComponent("templates")
        try ConfigMapMount.make(at: mount, copying: URL(fileURLWithPath: Repository.templates))
        let plain = try TemplateSet(directory: Repository.templates)
        let mounted = try TemplateSet(directory: mount.path)
        #expect(mounted.names == plain.names)
        #expect(mounted.names.contains("emails/de-DE/first_email"))
        #expect(!mounted.names.contains { $0.hasPrefix("..") }, "the kubelet's hidden folders are not templates")
        #expect(try RecoveryTemplates(templates: mounted).locales == RecoveryTemplates(templates: plain).locales)
    }

    @Test func linksToFilesAndFoldersAreFollowedAndALoopIsNotWalkedAgain() throws {
        let root = try makeTemporaryDirectory("links")
        let elsewhere = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere.appendingPathComponent("site"), withIntermediateDirectories: true)
        try "page {{n}}".write(to: elsewhere.appendingPathComponent("site/page.mustache"), atomically: true, encoding: .utf8)
        try "part".write(to: elsewhere.appendingPathComponent("part.mustache"), atomically: true, encoding: .utf8)
        let folder = root.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("site").path, withDestinationPath: "../elsewhere/site")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("part.mustache").path, withDestinationPath: elsewhere.appendingPathComponent("part.mustache").path)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("loop").path, withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("notes.txt").path, withDestinationPath: "nowhere")
        try "swap".write(to: folder.appendingPathComponent(".part.mustache.swp.mustache"), atomically: true, encoding: .utf8)

        let templates = try TemplateSet(directory: folder.path)
        #expect(templates.names == ["part", "site/page"])
        #expect(try templates.render("site/page", ["n": 1]) == "page 1")
    }

    /// A template that cannot be reached (here a link to nothing; a folder or file the user may not read alike) is
    /// an error naming it, never left out: the installed template would silently take its place.
    @Test func aTemplateThatCannotBeReachedIsAnErrorNamingIt() throws {
        let folder = try makeTemporaryDirectory("gone")
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("email_layout.mustache").path, withDestinationPath: "../moved/email_layout.mustache")
        let error = #expect(throws: TemplateError.self) { try TemplateSet(directories: [folder.path, Repository.templates]) }
        #expect(error?.message.contains("\(folder.path)/email_layout.mustache cannot be read (No such file or directory)") == true,
                "\(error?.message ?? "")")
    }

    /// A shop's templates folder holding nothing but the first e-mail's subject in `locale`.
    func shopFolder(locale: String, subject: String) throws -> URL {
        let shop = try makeTemporaryDirectory("shop")
        try FileManager.default.createDirectory(at: shop.appendingPathComponent("emails/\(locale)"), withIntermediateDirectories: true)
        try "{{% CONTENT_TYPE: TEXT}}\n\(subject)\n".write(
            to: shop.appendingPathComponent("emails/\(locale)/first_email_subject.mustache"), atomically: true, encoding: .utf8)
        return shop
    }

    @Test func aShopsPartialFolderOverridesOnlyWhatItHas() throws {
        let shop = try shopFolder(locale: "de-DE", subject: "Shop subject {{percent}}")
        let templates = try TemplateSet(directories: [shop.path, Repository.templates])
        #expect(templates.names == (try TemplateSet(directory: Repository.templates)).names)
        #expect(templates.path(of: "emails/de-DE/first_email_subject") == shop.appendingPathComponent("emails/de-DE/first_email_subject.mustache").path)
        #expect(templates.path(of: "site/index") == Repository.templates + "/site/index.mustache")
        #expect(try templates.render("emails/de-DE/first_email_subject", ["percent": "5 %"]).contains("Shop subject 5 %"))
        _ = try RecoveryTemplates(templates: templates)  // every locale complete through the fallback
    }

    @Test func aShopsNewLocaleMustBeComplete() throws {
        let shop = try shopFolder(locale: "fr-FR", subject: "Votre panier")
        let templates = try TemplateSet(directories: [shop.path, Repository.templates])
        let error = #expect(throws: TemplateError.self) { try RecoveryTemplates(templates: templates) }
        #expect(error?.message.contains("\(shop.path)/emails/fr-FR/first_email.mustache is missing") == true, "\(error?.message ?? "")")
    }
}
