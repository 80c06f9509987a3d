public import BenchMetrics
import Foundation

/// Perplexity over scored tokens, from their natural-log probabilities.
///
/// With L = Σ ln p(token) over the n scored tokens, and W words and B UTF-8 bytes of the scored text:
/// - token perplexity = exp(−L / n) — depends on the tokenizer: not comparable across model families;
/// - word perplexity = exp(−L / W) and byte perplexity = exp(−L / B);
/// - bits per byte = −L / (B · ln 2) — tokenizer-independent, comparable across models on the same text.
///
/// Word and byte figures need every token of the text scored (``PerplexityWindowing/rolling(context:)``); they
/// are nil otherwise. The interval is exp(mean NLL ± z·SE), with the SE of the mean token NLL clustered by
/// window (tokens of one window are not independent); with one window, llama.cpp's per-token SE is used.
public struct PerplexityEstimate: Sendable, Hashable, Codable {
    public var windowing: String
    public var context: Int
    public var tokens: Int
    public var logprob: Double
    public var words: Int?
    public var bytes: Int?
    public var tokenPerplexity: Double
    public var interval: Interval?
    public var wordPerplexity: Double?
    public var bytePerplexity: Double?
    public var bitsPerByte: Double?

    /// - Parameters:
    ///   - windows: the log-probabilities of each window's scored tokens.
    ///   - words, bytes: of the whole scored text, when every token was scored.
    public init?(
        windowing: PerplexityWindowing, windows: [[Double]], words: Int? = nil, bytes: Int? = nil,
        confidence: Double = 0.95
    ) {
        let all = windows.flatMap { $0 }
        guard !all.isEmpty else { return nil }
        self.windowing = windowing.name
        context = windowing.context
        tokens = all.count
        logprob = all.reduce(0, +)
        tokenPerplexity = exp(-logprob / Double(tokens))
        let nll = all.map { -$0 }
        let clusters = windows.enumerated().flatMap { index, window in
            Array(repeating: String(index), count: window.count)
        }
        let estimate = ScoreEstimate(
            scores: nll, clusters: windows.count > 1 ? clusters : nil, confidence: confidence)
        interval = estimate.map {
            Interval(lower: exp($0.interval.lower), upper: exp($0.interval.upper), confidence: confidence)
        }
        if windowing.scoresEveryToken {
            self.words = words
            self.bytes = bytes
            if let words, words > 0 { wordPerplexity = exp(-logprob / Double(words)) }
            if let bytes, bytes > 0 {
                bytePerplexity = exp(-logprob / Double(bytes))
                bitsPerByte = -logprob / (Double(bytes) * log(2))
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case windowing, context, tokens, logprob, words, bytes, interval
        case tokenPerplexity = "token_perplexity"
        case wordPerplexity = "word_perplexity"
        case bytePerplexity = "byte_perplexity"
        case bitsPerByte = "bits_per_byte"
    }
}
