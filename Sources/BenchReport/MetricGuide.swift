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
            metric: "USD per 1M output tokens", better: "lower",
            reading:
                "list price for APIs; for self-hosted targets the machine's hourly cost ÷ measured output tokens per hour at that load"
        ),
        Entry(
            metric: "saturation knee", better: "—",
            reading:
                "the first load after which raising the load adds less than 10 % throughput: past it, more load only adds latency"
        ),
    ]

    public static let quality: [Entry] = [
        Entry(
            metric: "accuracy (%)", better: "higher",
            reading:
                "mean item score with its 95 % interval; overlapping intervals do not settle a difference — use the paired comparison"
        ),
        Entry(
            metric: "unparsed / cut", better: "lower",
            reading:
                "answers without an extractable answer, and answers stopped at the token limit, counted apart from wrong"
        ),
        Entry(
            metric: "perplexity", better: "lower",
            reading:
                "per token; only comparable for the same tokenizer, text and windowing (use bits per byte across models)"
        ),
        Entry(
            metric: "judged scores", better: "higher",
            reading:
                "graded by a judge model; comparable only under the same judge and template version, and worth checking against people"
        ),
        Entry(
            metric: "toxicity", better: "lower",
            reading: "share of toxic continuations and expected maximum; read with over-refusal, never across detectors"
        ),
        Entry(
            metric: "Pareto front", better: "—",
            reading:
                "targets no other target beats on both axes; the dashed line joins them, everything below it is dominated"
        ),
    ]
}
