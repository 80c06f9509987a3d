/// Estimators over repeated attempts at one item: n attempts, c of them correct.
public enum PassAtK {
    /// pass@k = 1 − C(n−c, k) / C(n, k): the unbiased estimate of the chance that at least one of k attempts
    /// drawn from the n is correct (Chen et al. 2021). Nil when k > n or k < 1.
    public static func passAtK(n: Int, c: Int, k: Int) -> Double? {
        guard k >= 1, k <= n, c >= 0, c <= n else { return nil }
        if n - c < k { return 1 }
        // C(n−c, k)/C(n, k) = Π_{i=0}^{k−1} (n−c−i)/(n−i), computed as a product to stay finite.
        let allWrong = (0..<k).reduce(1.0) { $0 * Double(n - c - $1) / Double(n - $1) }
        return 1 - allWrong
    }

    /// pass^k = C(c, k) / C(n, k): the unbiased estimate of the chance that all of k attempts drawn from the n
    /// are correct (the reliability counterpart of pass@k). Nil when k > n or k < 1.
    public static func passHatK(n: Int, c: Int, k: Int) -> Double? {
        guard k >= 1, k <= n, c >= 0, c <= n else { return nil }
        if c < k { return 0 }
        return (0..<k).reduce(1.0) { $0 * Double(c - $1) / Double(n - $1) }
    }
}
