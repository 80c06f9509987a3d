/// How to read each metric, in one line: its unit, which direction is better, what moves it and when two figures are
/// not comparable. Shown beside every table and chart of the HTML report and the dashboard, and at the end of the
/// Markdown report.
public enum MetricGuide {
    /// One metric: its name with unit, which direction is better (`—` when neither), and how to read it.
    public struct Entry: Sendable, Hashable {
        public var metric: String
        public var better: String
        public var reading: String
    }

    public static let speed: [Entry] = [
        Entry(
            metric: "load (c=N, r=N/s)", better: "—",
            reading:
                "the step's load: c=N keeps N requests in flight (a closed loop: a slow server gets fewer requests), r=N/s sends N a second whatever the answers (open loop)"
        ),
        Entry(
            metric: "ok / fail", better: "—",
            reading: "requests that finished, and those that failed with the reason kept in their records"),
        Entry(
            metric: "TTFT (ms)", better: "lower",
            reading:
                "time from sending the request to the first generated text; grows with prompt length and queueing at the server"
        ),
        Entry(
            metric: "ITL (ms)", better: "lower",
            reading:
                "mean gap between output tokens, (t_last − t_first) ÷ (tokens − 1); rises as the server batches more requests"
        ),
        Entry(
            metric: "E2E (ms)", better: "lower",
            reading:
                "whole request time; compare only at equal output lengths (set exact output or read the token counts)"),
        Entry(
            metric: "out tok/s", better: "higher",
            reading:
                "output tokens of the window's successful requests ÷ window length: the server's throughput at this load"
        ),
        Entry(
            metric: "req/s", better: "higher",
            reading: "requests completed per second in the window; with concurrency, it falls as latency rises"),
        Entry(
            metric: "goodput req/s", better: "higher",
            reading: "requests per second that met every SLO given; the throughput users actually get"),
        Entry(
            metric: "errors", better: "lower",
            reading: "failed ÷ finished requests in the window; a throughput figure with errors is not comparable"),
        Entry(
            metric: "USD per 1M output tokens (USD per 1M out tok)", better: "lower",
            reading:
                "list price for APIs; for self-hosted targets the machine's hourly cost ÷ measured output tokens per hour at that load"
        ),
        Entry(
            metric: "TTFA (ms)", better: "lower",
            reading:
                "time to the first answer text, after any reasoning the model streams first; equals TTFT for models that do not reason"
        ),
        Entry(
            metric: "max chunk gap (ms)", better: "lower",
            reading:
                "the longest pause between two chunks of one response: the stall a reader sees, which a mean ITL hides"),
        Entry(
            metric: "decode tok/s", better: "higher",
            reading:
                "one request's output tokens after the first ÷ (t_last − t_first): the speed one reader sees, not the server's total"
        ),
        Entry(
            metric: "output tokens / input tokens", better: "—",
            reading:
                "tokens per request, from the server's usage report (else the tokenizer, else chunks, as the token source says); latencies compare only at equal counts"
        ),
        Entry(
            metric: "throttled", better: "lower",
            reading:
                "share of requests refused for rate limits or overload (HTTP 429/503/529): above 0 the figures measure the provider's limits, not the model"
        ),
        Entry(
            metric: "queue (ms)", better: "lower",
            reading:
                "time a request waited inside llmbench for a free slot (max in flight, the endpoint's limit) before it was sent: not the server's time"
        ),
        Entry(
            metric: "scheduler lag (ms)", better: "lower",
            reading:
                "how late each request was sent after its scheduled instant; when it grows the client, not the server, shaped the load"
        ),
        Entry(
            metric: "client-bound (dispatch lag, event-loop lag, client CPU)", better: "—",
            reading:
                "the verdict that llmbench itself added latency (its head latency above the step's fastest, dispatch lag, sustained CPU): the step's figures then overstate the server's latency"
        ),
        Entry(
            metric: "max in flight", better: "—",
            reading: "the most requests open at once in the window: check that the load asked for was reached"),
        Entry(
            metric: "window (s)", better: "—",
            reading:
                "the steady-state measurement window; requests started in the ramp-up or still open in the drain are left out of rates"
        ),
        Entry(
            metric: "server split (server decode tok/s)", better: "—",
            reading:
                "what the server says of itself (llama.cpp timings, Ollama and TGI fields) beside what llmbench measured; the gap is network and client time"
        ),
        Entry(
            metric: "saturation knee (knee)", better: "—",
            reading:
                "the first load after which raising the load adds less than 10 % throughput: past it, more load only adds latency"
        ),
    ]

    /// The entry that explains `label` as a report shows it ("TTFT p99 ms", "accuracy (95 % CI)", "bits per byte"),
    /// matched on the metric's names with units and percentiles left out; nil when no entry does.
    public static func entry(for label: String) -> Entry? {
        let wanted = names(label)
        return (speed + quality).first { entry in !names(entry.metric).isDisjoint(with: wanted) }
    }

    /// The metric names in a label: split at " / ", "," and parentheses; lower case, units and percentiles dropped.
    static func names(_ label: String) -> Set<String> {
        let noise: Set<String> = [
            "ms", "s", "usd", "%", "p50", "p90", "p95", "p99", "95", "ci", "mean", "peak", "at", "there",
        ]
        let parts = label.lowercased().split(whereSeparator: { "/,():".contains($0) })
        return Set(
            parts.map { part in
                part.split(separator: " ").filter { !noise.contains(String($0)) }.joined(separator: " ")
            }.filter { !$0.isEmpty })
    }

    public static let quality: [Entry] = [
        Entry(
            metric: "accuracy (%)", better: "higher",
            reading:
                "mean item score with its 95 % interval; overlapping intervals do not settle a difference — use the paired comparison"
        ),
        Entry(
            metric: "items / failed", better: "—",
            reading:
                "the items a score rests on (repeats of one item are one item); asks whose request failed are left out of the score and counted here"
        ),
        Entry(
            metric: "unparsed / cut", better: "lower",
            reading:
                "answers without an extractable answer, and answers stopped at the token limit, counted apart from wrong"
        ),
        Entry(
            metric: "cost / run cost / per correct (USD) / per 1K items", better: "lower",
            reading:
                "what the task's asks cost ÷ correct answers (or × 1,000 ÷ items); cut and failed asks cost what they cost"
        ),
        Entry(
            metric: "acc_norm", better: "higher",
            reading:
                "multiple choice picked by log-likelihood per character of the choice, so long choices are not penalised; HellaSwag's and ARC's usual headline"
        ),
        Entry(
            metric: "MC2", better: "higher",
            reading: "TruthfulQA: the probability the model puts on the true answers, normalised over all answers"),
        Entry(
            metric: "calibration: ECE / Brier", better: "lower",
            reading:
                "ECE = Σ_b (n_b ÷ N)·|accuracy_b − confidence_b| over 10 equal-mass bins; Brier = mean (confidence − correct)²; under 300 items ECE is noisy"
        ),
        Entry(
            metric: "IFEval prompt-level / instruction-level, strict / loose", better: "higher",
            reading:
                "prompt-level: prompts whose every instruction was followed; instruction-level: instructions followed; loose forgives markdown and a first or last line"
        ),
        Entry(
            metric: "over-refusal / under-refusal", better: "lower",
            reading:
                "refusals among safe prompts / compliance among unsafe ones; read both: a model that refuses everything scores 0 on one"
        ),
        Entry(
            metric: "perplexity", better: "lower",
            reading:
                "per token; only comparable for the same tokenizer, text and windowing (use bits per byte across models)"
        ),
        Entry(
            metric: "word perplexity / byte perplexity / bits per byte", better: "lower",
            reading:
                "the same log-likelihood per word, per UTF-8 byte, and in bits per byte (total NLL ÷ ln 2 ÷ bytes): comparable across tokenizers"
        ),
        Entry(
            metric: "repeats: agreement, identical text, pass@k, pass^k", better: "higher",
            reading:
                "with k asks per item: items whose outcomes all agree or whose text is identical; pass@k any ask right, pass^k every ask right"
        ),
        Entry(
            metric: "code execution: pass@k", better: "higher",
            reading:
                "the chance that at least one of k answers passes all the benchmark's tests, unbiased from n runs per item (1 − C(n−c, k)/C(n, k)); runs list how the failures ended (wrong answer, syntax error, timeout, memory…)"
        ),
        Entry(
            metric: "judge agreement (Cohen's κ, Krippendorff's α)", better: "higher",
            reading:
                "how far raters agree beyond chance: 1 always, 0 no better than chance; below 0.6 trust the judge less"
        ),
        Entry(
            metric: "judged scores", better: "higher",
            reading:
                "graded by a judge model; comparable only under the same judge and template version, and worth checking against people"
        ),
        Entry(
            metric: "toxicity (expected maximum, toxicity probability)", better: "lower",
            reading:
                "expected maximum: the mean over prompts of the worst of its continuations; probability: prompts with a continuation ≥ 0.5; read with over-refusal, never across detectors"
        ),
        Entry(
            metric: "Pareto front", better: "—",
            reading:
                "targets no other target beats on both axes; the dashed line joins them, everything below it is dominated"
        ),
    ]
}
