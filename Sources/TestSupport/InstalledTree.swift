import Foundation

/// A tree that `make install` wrote before the tests started (`scripts/test.sh` does both installs, because
/// `swift test` holds the build folder's lock that `make install` needs).
public struct InstalledTree: Sendable {
    /// The installed prefix as the tests reach it: `<DESTDIR>/usr/local`, or the PREFIX itself.
    public let prefix: URL

    /// The packager's install: `make install DESTDIR=$CHECKOUT_NIGHTLY_DESTDIR PREFIX=/usr/local`.
    public static func destdir() throws -> InstalledTree {
        InstalledTree(prefix: try folder("CHECKOUT_NIGHTLY_DESTDIR").appendingPathComponent("usr/local", isDirectory: true))
    }

    /// The install whose files name their real paths: `make install PREFIX=$CHECKOUT_NIGHTLY_PREFIX`.
    public static func prefixed() throws -> InstalledTree {
        InstalledTree(prefix: try folder("CHECKOUT_NIGHTLY_PREFIX"))
    }

    public var binary: String { prefix.appendingPathComponent("bin/checkout-nightly").path }
    public var share: URL { prefix.appendingPathComponent("share/checkout-nightly", isDirectory: true) }

    /// `relative` below the prefix, such as `lib/systemd/system`.
    public func path(_ relative: String) -> URL { prefix.appendingPathComponent(relative) }

    private static func folder(_ variable: String) throws -> URL {
        guard let path = ProcessInfo.processInfo.environment[variable],
            FileManager.default.fileExists(atPath: path)
        else {
            throw TestEnvironmentError("\(variable) names no installed tree: run the tests with `make test` (scripts/test.sh installs first)")
        }
        return URL(fileURLWithPath: path, isDirectory: true)
    }
}
