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
    /// `body` applied to every element, at most `limit` at once, the results in completion order. A body that
    /// throws (cancellation included) gives its slot back, and the first error ends the whole map.
    public func concurrentMap<Result: Sendable>(
        limit: Int, _ body: @escaping @Sendable (Element) async throws -> Result
    ) async throws -> [Result] {
        let slots = AsyncSemaphore(limit: Swift.max(1, limit))
        return try await withThrowingTaskGroup(of: Result.self) { group in
            for element in self {
                await slots.acquire()
                try Task.checkCancellation()
                group.addTask {
                    do {
                        let result = try await body(element)
                        await slots.release()
                        return result
                    } catch {
                        await slots.release()
                        throw error
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}
