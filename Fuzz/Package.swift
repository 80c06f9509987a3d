// swift-tools-version:6.1
import PackageDescription

// libFuzzer harness for the response-body decoders and every provider codec; see docs/FUZZING.md.
// Build only with the fuzzer sanitizer (scripts/fuzz does): main.swift calls libFuzzer's driver.
let package = Package(
    name: "llmbench-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "llmbench", path: "..")],
    targets: [
        .executableTarget(
            name: "DecoderFuzzer",
            dependencies: [.product(name: "BenchProviders", package: "llmbench")]
        )
    ]
)
