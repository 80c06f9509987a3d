/// One piece of a run that one worker executes: a target's load step. Units of a run execute one after another (a
/// step never shares its endpoint with another step of the run), each under a lease its worker renews; a unit whose
/// lease ran out returns to the queue and resumes from its stored records on whichever worker claims it.
public struct WorkUnit: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case queued, running, done, cancelled
    }

    public var runID: String
    /// The unit's place in its run (target-major, then step).
    public var index: Int
    public var target: String
    public var step: Int
    public var status: Status
    /// The worker holding it while running.
    public var owner: String?
    /// When the lease ends, in milliseconds since 1970.
    public var leaseUntil: Int64?
    /// Times it was claimed (more than 1 after a worker died or shut down).
    public var attempts: Int

    public init(
        runID: String, index: Int, target: String, step: Int, status: Status = .queued, owner: String? = nil,
        leaseUntil: Int64? = nil, attempts: Int = 0
    ) {
        self.runID = runID
        self.index = index
        self.target = target
        self.step = step
        self.status = status
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.attempts = attempts
    }
}
