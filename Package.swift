// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "llmbench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "llmbench", targets: ["BenchCLI"]),
        // The local model's installer alone: a small build `scripts/quickstart` runs beside the main one.
        .executable(name: "llmbench-install", targets: ["BenchInstall"]),
        // The wire codecs alone, for the fuzzing package in Fuzz/.
        .library(name: "BenchProviders", targets: ["BenchProviders"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Tests only: a test clock for the injected timelines.
        .package(url: "https://github.com/pointfreeco/swift-clocks.git", from: "1.1.1"),
    ],
    targets: [
        // Pure domain values and protocols: no I/O modules.
        .target(name: "BenchCore", swiftSettings: swiftSettings),
        // Pure statistics over request records.
        .target(name: "BenchMetrics", dependencies: ["BenchCore"], swiftSettings: swiftSettings),
        // Wire codecs (SSE, OpenAI chat) and the HTTP transport.
        .target(
            name: "BenchProviders",
            dependencies: [
                "BenchCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Load shapes, the executor that stamps records, run orchestration.
        .target(name: "BenchRunner", dependencies: ["BenchCore", "BenchMetrics"], swiftSettings: swiftSettings),
        // Quality evaluation: answer extraction, scorers, task suites. Pure: no I/O modules.
        .target(name: "BenchEval", dependencies: ["BenchCore", "BenchMetrics"], swiftSettings: swiftSettings),
        // Pure renderers: report JSON, Markdown, console tables.
        .target(
            name: "BenchReport", dependencies: ["BenchCore", "BenchMetrics", "BenchEval"], swiftSettings: swiftSettings),
        // The built-in OpenAI-compatible simulator with known timing.
        .target(
            name: "BenchSimulator",
            dependencies: [
                "BenchCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The default local model: install (PyPI + cmake), start and stop llama.cpp's server. No HTTP client: the
        // server's health probe is injected, so the installer below builds in seconds.
        .target(name: "BenchLocal", dependencies: ["BenchCore"], swiftSettings: swiftSettings),
        .executableTarget(name: "BenchInstall", dependencies: ["BenchLocal"], swiftSettings: swiftSettings),
        // Durable runs, records, reports and saved targets: in memory, SQLite (bundled), PostgreSQL.
        .target(
            name: "BenchStore",
            dependencies: [
                "BenchCore",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The engine under every entry point: the spec model and validator, the process's HTTP client (a service),
        // endpoint limits, cost, report assembly, and the run kinds (load steps, eval tasks, paired rounds, SLO search,
        // the probe, the service's coordinator, queue and schedules).
        .target(
            name: "BenchEngine",
            dependencies: [
                "BenchCore", "BenchMetrics", "BenchProviders", "BenchRunner", "BenchReport", "BenchSimulator",
                "BenchLocal", "BenchEval", "BenchStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources/prices.json"), .copy("Resources/tasks")],
            swiftSettings: swiftSettings
        ),
        // `llmbench serve`'s HTTP API and OpenAPI document, over the engine's ``RunService``.
        .target(
            name: "BenchServer",
            dependencies: [
                "BenchCore", "BenchEngine", "BenchEval", "BenchMetrics", "BenchReport", "BenchStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // The composition root: wires engines, stores, the API and service groups for each entry point.
        .target(
            name: "BenchApp",
            dependencies: [
                "BenchCore", "BenchEngine", "BenchServer", "BenchStore",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "BenchCLI",
            dependencies: [
                "BenchApp", "BenchCore", "BenchEngine", "BenchLocal", "BenchMetrics", "BenchProviders", "BenchReport",
                "BenchRunner", "BenchSimulator", "BenchEval",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BenchTests",
            dependencies: [
                "BenchCore", "BenchMetrics", "BenchProviders", "BenchRunner", "BenchReport", "BenchSimulator",
                "BenchApp", "BenchEngine", "BenchLocal", "BenchStore", "BenchServer", "BenchEval",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
