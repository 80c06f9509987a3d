/// A step of installing or running the local model failed: says which step, why, and how to fix it.
public struct LocalModelError: Error, Hashable, CustomStringConvertible {
    public var step: String
    public var problem: String
    public var fix: String?

    public init(step: String, problem: String, fix: String? = nil) {
        self.step = step
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        "\(step): \(problem)" + (fix.map { " — \($0)" } ?? "")
    }
}
