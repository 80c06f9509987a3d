import Foundation

/// Locates files the tests read, all inside the repository (`Tests/Fixtures`, see its README): the provider wire
/// transcripts and the samples of public evaluation datasets.
enum Fixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Recorded provider streams and error bodies (`Tests/Fixtures/wire`).
    static let directory = repositoryRoot.appendingPathComponent("Tests/Fixtures/wire")

    /// Samples of public evaluation datasets with their licences (`Tests/Fixtures/eval-data`).
    static let evalData = repositoryRoot.appendingPathComponent("Tests/Fixtures/eval-data")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}
