/// Where a throughput-against-load curve stops paying: the saturation knee, and the Pareto front of a trade-off.
public enum LoadCurve {
    /// The index of the saturation knee: the first step (by increasing load) whose next step adds less than
    /// `minimumGain` (10 %) throughput, Tᵢ₊₁ < (1 + minimumGain)·Tᵢ. Nil with fewer than two steps, or when every step
    /// still adds more.
    public static func knee(loads: [Double], throughput: [Double], minimumGain: Double = 0.10) -> Int? {
        let steps = zip(loads, throughput).enumerated().filter { $0.element.0.isFinite && $0.element.1.isFinite }
            .sorted { $0.element.0 < $1.element.0 }
        guard steps.count >= 2 else { return nil }
        for (position, step) in steps.enumerated().dropLast() {
            let next = steps[position + 1].element.1
            if next < (1 + minimumGain) * step.element.1 { return step.offset }
        }
        return nil
    }

    /// The indices of the points no other point beats on both axes (higher y is better; lower x is better when
    /// `lowerXIsBetter`, e.g. cost, else higher, e.g. speed), ordered by x.
    public static func paretoFront(x: [Double], y: [Double], lowerXIsBetter: Bool) -> [Int] {
        let indices = x.indices.filter { x[$0].isFinite && y[$0].isFinite }
        func better(_ a: Double, than b: Double) -> Bool { lowerXIsBetter ? a <= b : a >= b }
        let front = indices.filter { i in
            !indices.contains { j in
                j != i && better(x[j], than: x[i]) && y[j] >= y[i] && (x[j] != x[i] || y[j] != y[i])
            }
        }
        return front.sorted { x[$0] < x[$1] }
    }
}
