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
