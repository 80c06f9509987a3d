/// An invalid benchmark spec or flag: names the field and the problem.
public struct SpecError: Error, Hashable, CustomStringConvertible {
    /// The path of the offending field, e.g. `targets[1].base_url` or `--concurrency`.
    public var field: String
    public var problem: String

    public init(_ field: String, _ problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(field): \(problem)" }
}
