// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "checkout-nightly",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "checkout-nightly", targets: ["checkout-nightly"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        .target(name: "NightlyCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "Rendering",
            dependencies: [
                "NightlyCore", "CLibXML2",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "NightlyJobs",
            dependencies: [
                "NightlyCore", "Postgres", "Rendering",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "checkout-nightly",
            dependencies: [
                "NightlyJobs", "NightlyCore", "Postgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["Postgres", "NightlyJobs", "NightlyCore"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "NightlyCoreTests", dependencies: ["NightlyCore", "TestSupport"]),
        .testTarget(
            name: "RenderingTests",
            dependencies: [
                "Rendering", "NightlyCore", "TestSupport", .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .testTarget(
            name: "NightlyJobsTests",
            dependencies: [
                "NightlyJobs", "NightlyCore", "Postgres", "Rendering", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
    ]
)
