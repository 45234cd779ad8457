import Foundation
import NightlyCore
import Testing
import TestSupport

@Suite("DataLocation: the data beside the binary, the checkout above .build, else the working folder")
struct DataLocationTests {
    /// Creates the folders and empty files `paths` (a trailing `/` makes a folder) under a new temporary folder.
    func tree(_ paths: [String]) throws -> URL {
        let root = try makeTemporaryDirectory("location")
        for path in paths {
            let url = root.appendingPathComponent(path)
            if path.hasSuffix("/") {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } else {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data().write(to: url)
            }
        }
        return root
    }

    @Test func anInstalledBinaryReadsItsShareFolder() throws {
        let root = try tree(["usr/local/bin/checkout-nightly", "usr/local/share/checkout-nightly/queries/"])
        let location = DataLocation(executable: root.appendingPathComponent("usr/local/bin/checkout-nightly").path)
        #expect(location.kind == .installed)
        #expect(location.templates == root.appendingPathComponent("usr/local/share/checkout-nightly/templates").path)
    }

    @Test func aDevelopmentBuildReadsTheRepositoryAboveBuild() throws {
        let root = try tree(["Package.swift", "queries/", ".build/x86_64-unknown-linux-gnu/debug/checkout-nightly"])
        let location = DataLocation(executable: root.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug/checkout-nightly").path)
        #expect(location.kind == .checkout)
        #expect(location.queries == root.appendingPathComponent("queries").path)
    }

    @Test(arguments: [
        ["bin/checkout-nightly"],  // no share folder
        ["bin/checkout-nightly", "share/checkout-nightly/"],  // a share folder without queries
        ["queries/", "build/debug/checkout-nightly"],  // not a .build folder, no Package.swift
    ])
    func otherwiseTheWorkingFolder(_ paths: [String]) throws {
        let root = try tree(paths)
        let location = DataLocation(executable: root.appendingPathComponent(paths.last { !$0.hasSuffix("/") }!).path)
        #expect(location == DataLocation(executable: nil))
        #expect(location.queries == "queries" && location.templates == "templates" && location.docs == "docs")
    }

    @Test func aShopsTemplatesComeFirstAndTheInstalledOnesFillIn() throws {
        let root = try tree(["share/checkout-nightly/queries/", "share/checkout-nightly/templates/", "shop/", "bin/checkout-nightly"])
        let location = DataLocation(executable: root.appendingPathComponent("bin/checkout-nightly").path)
        let shop = root.appendingPathComponent("shop").path
        #expect(location.templateLayers(over: shop) == [shop, location.templates])
        #expect(location.templateLayers(over: location.templates) == [location.templates])
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("linked").path, withDestinationPath: location.templates)
        #expect(location.templateLayers(over: root.appendingPathComponent("linked").path).count == 1, "the same folder through a link")
        try FileManager.default.removeItem(atPath: location.templates)
        #expect(location.templateLayers(over: shop) == [shop], "no installed templates to fall back on")
    }
}
