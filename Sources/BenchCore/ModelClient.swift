/// The one protocol every model endpoint implements.
///
/// A client sends one request and yields its events in order, each stamped with the monotonic instant its bytes
/// arrived. The sequence never throws: failures are a final ``GenerationEvent/failure(_:)`` event, and a
/// cancelled task ends the sequence with a `.cancelled` failure.
public protocol ModelClient: Sendable {
    /// Starts the request when first iterated and yields its events.
    func stream(_ request: GenerationRequest) -> any AsyncSequence<StampedEvent, Never>

    /// Opens up to `count` connections to the endpoint ahead of a load step, so that no measured request pays for
    /// connection setup. Best effort: failures are ignored (the step's own requests will report them).
    func warmConnections(_ count: Int) async
}

extension ModelClient {
    /// Clients without connections to keep do nothing.
    public func warmConnections(_ count: Int) async {}
}
