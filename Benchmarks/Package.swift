// swift-tools-version:6.1
import PackageDescription

// Microbenchmarks of the per-chunk hot path (package-benchmark): llmbench's JSON parser and SSE decoder beside
// Foundation's JSON and swift-openapi-runtime's server-sent-events decoder. A package of its own, so that neither
// package-benchmark nor swift-openapi-runtime is built by `swift build` or the tests.
//   cd Benchmarks && swift package benchmark        (docs/PERFORMANCE.md)
let package = Package(
    name: "llmbench-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "llmbench", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
    ],
    targets: [
        .executableTarget(
            name: "ParsingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BenchProviders", package: "llmbench"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            path: "Benchmarks/ParsingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
