import Foundation

/// One atomic claim of an answer and whether the reference text supports it.
public struct JudgedClaim: Sendable, Hashable, Codable {
    public var claim: String
    public var supported: Bool

    public init(claim: String, supported: Bool) {
        self.claim = claim
        self.supported = supported
    }
}

/// Reads a claim-checking judge's reply (template `claims`): one line per claim, `SUPPORTED: …` or
/// `NOT_SUPPORTED: …` (bullets, numbering, bold and `UNSUPPORTED` tolerated), or `NO_CLAIMS`. A claim the judge
/// repeats word for word (ignoring case) counts once, with its first verdict: a judge stuck in a loop must not
/// multiply one claim.
public enum ClaimCheck {
    /// The claims in a reply: an empty list for `NO_CLAIMS`, nil when the reply holds neither claims nor
    /// `NO_CLAIMS` (unparsed).
    public static func claims(in reply: String) -> [JudgedClaim]? {
        var claims: [JudgedClaim] = []
        var sawNoClaims = false
        for rawLine in reply.split(whereSeparator: \.isNewline) {
            let line = rawLine.drop { " \t-*•#0123456789.)".contains($0) }.replacingOccurrences(of: "*", with: "")
            let upper = line.uppercased()
            if upper.hasPrefix("NO_CLAIMS") || upper.hasPrefix("NO CLAIMS") {
                sawNoClaims = true
                continue
            }
            let labels: [(String, Bool)] = [
                ("NOT_SUPPORTED", false), ("NOT SUPPORTED", false), ("UNSUPPORTED", false), ("SUPPORTED", true),
            ]
            guard let (label, supported) = labels.first(where: { upper.hasPrefix($0.0) }) else { continue }
            // The claim, without the separator after the label and any numbering the judge put before it.
            let text = line.dropFirst(label.count).drop { ":-–— \t".contains($0) }
                .replacingOccurrences(of: #"^\d+[.)]\s+"#, with: "", options: .regularExpression)
                .trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty, !claims.contains(where: { $0.claim.lowercased() == text.lowercased() }) else {
                continue
            }
            claims.append(JudgedClaim(claim: text, supported: supported))
        }
        return claims.isEmpty && !sawNoClaims ? nil : claims
    }
}
