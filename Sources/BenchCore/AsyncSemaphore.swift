/// A counting semaphore for tasks: at most `limit` holders at once, the rest wait in arrival order.
public actor AsyncSemaphore {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var head = 0

    public init(limit: Int) {
        available = limit
    }

    /// Takes a slot, waiting if none is free. Returns whether it had to wait.
    @discardableResult
    public func acquire() async -> Bool {
        if available > 0 {
            available -= 1
            return false
        }
        await withCheckedContinuation { waiters.append($0) }
        return true
    }

    /// Returns a slot, handing it straight to the longest waiter if there is one.
    public func release() {
        if head < waiters.count {
            let waiter = waiters[head]
            head += 1
            if head > 1024, head * 2 > waiters.count {
                waiters.removeFirst(head)
                head = 0
            }
            waiter.resume()
        } else {
            available += 1
        }
    }
}

extension Sequence where Element: Sendable {
    /// `body` applied to every element, at most `limit` at once, the results in completion order. The first error
    /// ends the whole map at once: no further element is started and the running ones are cancelled.
    public func concurrentMap<Result: Sendable>(
        limit: Int, _ body: @escaping @Sendable (Element) async throws -> Result
    ) async throws -> [Result] {
        let limit = Swift.max(1, limit)
        return try await withThrowingTaskGroup(of: Result.self) { group in
            var results: [Result] = []
            results.reserveCapacity(underestimatedCount)
            var running = 0
            for element in self {
                if running == limit, let finished = try await group.next() {
                    results.append(finished)
                    running -= 1
                }
                try Task.checkCancellation()
                group.addTask { try await body(element) }
                running += 1
            }
            while let finished = try await group.next() { results.append(finished) }
            return results
        }
    }
}
