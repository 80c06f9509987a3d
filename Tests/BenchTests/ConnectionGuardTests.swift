import BenchCore
import BenchEngine
import BenchProviders
import BenchRunner
import BenchSimulator
import Foundation
import Synchronization
import Testing

/// The service's guard against link-local and cloud-metadata targets, applied where each request connects: names are
/// pinned to the address the guard checked, so DNS rebinding and names that resolve only later are refused too.
@Suite struct ConnectionGuardTests {
    static let simulator = SimulatorConfiguration(ttft: .milliseconds(1), itl: .milliseconds(1), outputTokens: 4)

    /// A resolver that answers from a script, one answer per call, the last repeated.
    final class ScriptedResolver: Sendable {
        private let answers: Mutex<[[String]]>
        private let calls = Mutex(0)

        init(_ answers: [[String]]) { self.answers = Mutex(answers) }

        var count: Int { calls.withLock { $0 } }

        func resolve(_ host: String) -> [String] {
            calls.withLock { $0 += 1 }
            return answers.withLock { answers in answers.count > 1 ? answers.removeFirst() : answers[0] }
        }

        var rule: TargetGuard {
            TargetGuard(recheckAfter: .zero) { [self] in resolve($0) }
        }
    }

    static func generate(_ baseURL: String, engine: Engine) async throws -> Completion {
        let target = BenchSpec.Target(name: "t", baseURL: baseURL, model: "sim")
        let endpoint = try await engine.endpoint(
            for: target, policy: RequestPolicy(retry: .none, requestTimeout: .seconds(10)), field: "target")
        return await endpoint.complete(
            GenerationRequest(model: "sim", messages: [ChatMessage(role: "user", content: "hi")], maxOutputTokens: 4))
    }

    @Test func aPinnedNameConnectsToTheAddressTheGuardChecked() async throws {
        // `model.test` exists only in the guard's resolver: the request can reach the simulator only through the pin.
        let resolver = ScriptedResolver([["127.0.0.1"]])
        try await withSimulator(Self.simulator) { port, simulator in
            try await withEngine(targetGuard: resolver.rule) { engine in
                let completion = try await Self.generate("http://model.test:\(port)/v1", engine: engine)
                #expect(completion.failure == nil)
                #expect(!completion.answer.isEmpty)
            }
            #expect(simulator.statistics.completed == 1)
        }
    }

    @Test func aNameWithIPv6FirstIsPinnedToItsIPv4AddressWhereServersListen() async throws {
        // As `localhost` often resolves: ::1 first, while the model server listens on 127.0.0.1 only.
        let resolver = ScriptedResolver([["::1", "127.0.0.1"]])
        try await withSimulator(Self.simulator) { port, _ in
            try await withEngine(targetGuard: resolver.rule) { engine in
                let completion = try await Self.generate("http://dual.test:\(port)/v1", engine: engine)
                #expect(completion.failure == nil, "\(String(describing: completion.failure))")
            }
        }
    }

    @Test func aNameThatRebindsToTheMetadataAddressIsRefusedAtItsNextConnection() async throws {
        let resolver = ScriptedResolver([["127.0.0.1"], ["169.254.169.254"]])
        try await withSimulator(Self.simulator) { port, simulator in
            try await withEngine(targetGuard: resolver.rule) { engine in
                let url = "http://rebind.test:\(port)/v1"
                let first = try await Self.generate(url, engine: engine)
                #expect(first.failure == nil)
                let refused = try #require(try await Self.generate(url, engine: engine).failure)
                #expect(refused.kind == .connection)
                #expect(refused.retryForbidden)
                #expect(
                    refused.message
                        == "refused: rebind.test resolves to 169.254.169.254, a link-local or cloud-metadata address; start the server with --allow-link-local-targets to allow it"
                )
            }
            #expect(simulator.statistics.completed == 1)
        }
    }

    @Test func aNameThatDidNotResolveAtSubmissionIsCheckedWhenItConnects() async throws {
        // Submission sees no address (the name passes), the first connection none either, the next a metadata one.
        let resolver = ScriptedResolver([[], [], ["fd00:ec2::254"]])
        let url = "http://metadata.test/v1"
        #expect(resolver.rule.refusal(for: url) == nil)
        try await withEngine(targetGuard: resolver.rule) { engine in
            let unresolved = try #require(try await Self.generate(url, engine: engine).failure)
            #expect(unresolved.kind == .connection)
            #expect(unresolved.message == "cannot resolve the host name metadata.test")
            let refused = try #require(try await Self.generate(url, engine: engine).failure)
            #expect(refused.message.hasPrefix("refused: metadata.test resolves to fd00:ec2::254,"))
        }
    }

    @Test(arguments: [
        "http://169.254.169.254/latest/meta-data", "http://2852039166/v1", "http://0251.0376.0251.0376/v1",
        "http://[::ffff:169.254.169.254]/v1", "http://[fe80::1]:8080/v1",
    ])
    func metadataAddressesInAnyNotationAreRefusedWithoutConnecting(url: String) async throws {
        try await withEngine(targetGuard: TargetGuard()) { engine in
            let failure = try #require(try await Self.generate(url, engine: engine).failure)
            #expect(failure.message.hasPrefix("refused: "), "\(failure.message)")
            #expect(failure.message.contains("a link-local or cloud-metadata address"))
        }
    }

    @Test func theProbeIsGuardedToo() async throws {
        let resolver = ScriptedResolver([["169.254.169.254"]])
        try await withEngine(targetGuard: resolver.rule) { engine in
            let target = BenchSpec.Target(name: "t", baseURL: "http://probe.test:8080/v1", model: "sim")
            let report = try await CapabilityProbe.probe(target, engine: engine)
            let streaming = try #require(report.findings[.streaming])
            #expect(streaming.detail.contains("refused: probe.test resolves to 169.254.169.254"))
        }
    }

    @Test func whenLinkLocalTargetsAreAllowedNothingIsChecked() async throws {
        // A name the guard would pin (and, by its resolver, refuse): allowed, it is left to the client's own resolver.
        let resolver = ScriptedResolver([["169.254.169.254"]])
        let allowed = {
            var rule = resolver.rule
            rule.allowLinkLocal = true
            return rule
        }()
        try await withSimulator(Self.simulator) { port, _ in
            try await withEngine(targetGuard: allowed) { engine in
                let completion = try await Self.generate("http://localhost:\(port)/v1", engine: engine)
                #expect(completion.failure == nil, "\(String(describing: completion.failure))")
            }
        }
        #expect(resolver.count == 0)
    }
}
