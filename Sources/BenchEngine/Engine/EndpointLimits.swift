public import BenchCore

/// The registry of limits on requests in flight per endpoint (base URL), one per process: every run the process
/// executes — CLI runs, the service's units, the synchronous API — takes its slots here, so that several runs
/// against one server never overload it together.
public actor EndpointLimits {
    /// Requests in flight allowed per endpoint; nil for no limit.
    public let limit: Int?
    private var semaphores: [String: AsyncSemaphore] = [:]

    public init(limit: Int?) {
        self.limit = limit.map { max(1, $0) }
    }

    /// The semaphore of one endpoint, nil when there is no limit.
    public func semaphore(baseURL: String) -> AsyncSemaphore? {
        guard let limit else { return nil }
        let key = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        if let existing = semaphores[key] { return existing }
        let created = AsyncSemaphore(limit: limit)
        semaphores[key] = created
        return created
    }
}
