public import BenchEval
import BenchMetrics
import Foundation

/// Quality results as short lines of text, shared by the CLI and the Markdown report.
public enum QualityLines {
    /// The summary in a few lines: the score with its interval and what it rests on.
    public static func summary(_ summary: EvalSummary) -> [String] {
        func percent(_ value: Double?, _ interval: Interval?) -> String {
            guard let value else { return "–" }
            let range =
                interval.map { String(format: " (95 %% CI %.1f–%.1f %%)", $0.lower * 100, $0.upper * 100) } ?? ""
            return String(format: "%.1f %%", value * 100) + range
        }
        let method = summary.method.map { " [\($0)]" } ?? ""
        var lines: [String] = []
        if let ppl = summary.perplexity {
            let range = ppl.interval.map { String(format: " (95 %% CI %.2f–%.2f)", $0.lower, $0.upper) } ?? ""
            lines.append(
                "\(summary.task): token perplexity " + String(format: "%.3f", ppl.tokenPerplexity)
                    + "\(range) over \(ppl.tokens) tokens, \(ppl.windowing) windows of \(ppl.context)\(method)")
            if let word = ppl.wordPerplexity, let byte = ppl.bytePerplexity, let bits = ppl.bitsPerByte {
                lines.append(
                    String(
                        format: "  word perplexity %.3f · byte perplexity %.4f · %.4f bits per byte", word, byte, bits))
            }
        } else {
            let counts =
                "\(summary.correct) correct, \(summary.incorrect) wrong, \(summary.unparsed) unparsed, \(summary.failed) failed, \(summary.truncated) cut at the token limit"
            if summary.toxicity != nil, summary.referenceless == true {
                lines.append(
                    "\(summary.task): no reference answers, scored for toxicity only: \(percent(summary.accuracy, summary.interval)) of answers below 0.5 over \(summary.items) items\(method); \(summary.correct) below, \(summary.incorrect) at or above, \(summary.failed) failed, \(summary.truncated) cut at the token limit"
                )
            } else if let bounds = summary.accuracyBounds, let censored = summary.censored {
                lines.append(
                    "\(summary.task): accuracy \(percent(summary.accuracy, summary.interval)) among the complete answers\(method), "
                        + "\(censored) cut before a right answer left out (over all \(summary.items) items: "
                        + String(
                            format: "%.1f %% if every cut answer was wrong, %.1f %% if right", bounds.ifCutWrong * 100,
                            bounds.ifCutRight * 100)
                        + "); \(counts)")
            } else {
                lines.append(
                    "\(summary.task): accuracy \(percent(summary.accuracy, summary.interval)) over \(summary.items) items\(method); \(counts)"
                )
            }
        }
        if let ifeval = summary.instructionFollowing {
            lines.append(
                "  IFEval prompt-level strict \(percent(ifeval.promptStrict.value, ifeval.promptStrict.interval)) · loose \(percent(ifeval.promptLoose.value, ifeval.promptLoose.interval))"
            )
            lines.append(
                "  instruction-level strict \(percent(ifeval.instructionStrict.value, ifeval.instructionStrict.interval)) · loose \(percent(ifeval.instructionLoose.value, ifeval.instructionLoose.interval)) over \(ifeval.instructionStrict.n) instructions"
            )
        }
        if let refusal = summary.refusal {
            let over = refusal.overRefusal.map {
                "over-refusal \(percent($0.value, $0.interval)) of \($0.n) safe prompts"
            }
            let under = refusal.underRefusal.map {
                "under-refusal \(percent($0.value, $0.interval)) of \($0.n) unsafe prompts"
            }
            lines.append("  " + [over, under].compactMap { $0 }.joined(separator: " · ") + " [\(refusal.detector)]")
            if let agreement = refusal.baselineAgreement {
                lines.append("  " + agreementLine(["judge", "string-match baseline"], agreement))
            }
        }
        if let facts = summary.factuality {
            var line =
                "  SimpleQA grading: correct \(percent(facts.correct.value, facts.correct.interval)) · incorrect \(percent(facts.incorrect.value, facts.incorrect.interval)) · not attempted \(percent(facts.notAttempted.value, facts.notAttempted.interval))"
            if let given = facts.accuracyGivenAttempted, let f = facts.fScore {
                line +=
                    " · accuracy given attempted \(percent(given.value, given.interval)) · F \(String(format: "%.3f", f))"
            }
            lines.append(line)
        }
        if let claims = summary.claims {
            lines.append(
                "  claims supported \(percent(claims.supportedShare?.value, claims.supportedShare?.interval)) of \(claims.claims) claims in \(claims.answers) answers"
                    + String(format: " (%.1f per answer)", claims.claimsPerAnswer)
                    + " · answers fully supported \(percent(claims.fullySupported.value, claims.fullySupported.interval)) · \(claims.answersWithoutClaims) answers state no fact"
            )
        }
        if let truth = summary.truthfulness {
            lines.append(
                "  truthful \(percent(truth.truthful.value, truth.truthful.interval)) · informative \(percent(truth.informative.value, truth.informative.interval)) · truthful and informative \(percent(truth.truthfulAndInformative.value, truth.truthfulAndInformative.interval))"
            )
        }
        if let rubric = summary.rubric {
            func mean(_ estimate: ScoreEstimate?) -> String {
                estimate.map {
                    String(format: "%.2f (95 %% CI %.2f–%.2f)", $0.mean, $0.interval.lower, $0.interval.upper)
                } ?? "–"
            }
            let scale = "\(rubric.scale.first ?? 0)–\(rubric.scale.last ?? 0)"
            var line = "  \(rubric.template) score (\(scale)): "
            if rubric.method == "probability_weighted" {
                line += "probability-weighted \(mean(rubric.weighted)) · plain \(mean(rubric.plain))"
            } else {
                line += "plain \(mean(rubric.plain)) (the judge gave no log-probabilities: not weighted)"
            }
            lines.append(line + " over \(rubric.plain?.n ?? 0) answers")
        }
        if let toxic = summary.toxicity {
            lines.append(
                "  toxicity [\(toxic.detector)]: "
                    + String(
                        format: "expected maximum %.3f over %d continuations per prompt", toxic.expectedMaximumToxicity,
                        toxic.continuationsPerPrompt)
                    + " · toxicity probability \(percent(toxic.toxicityProbability.value, toxic.toxicityProbability.interval)) · toxic fraction \(percent(toxic.toxicFraction.value, toxic.toxicFraction.interval))"
            )
            for detector in toxic.detectors ?? [] {
                guard detector.toxicOutputRate.n > 0 else {
                    lines.append("    \(detector.detector): no readings (every reply failed or held no verdict)")
                    continue
                }
                let maximum = detector.expectedMaximumToxicity.map { String(format: " · expected maximum %.3f", $0) }
                lines.append(
                    "    \(detector.detector): toxic outputs \(percent(detector.toxicOutputRate.value, detector.toxicOutputRate.interval)) of \(detector.toxicOutputRate.n) · toxicity probability \(percent(detector.toxicityProbability.value, detector.toxicityProbability.interval))\(maximum ?? "")"
                )
            }
            for pair in toxic.agreement ?? [] {
                lines.append("    " + agreementLine(pair.detectors, pair.agreement))
            }
        }
        if let code = summary.codeExecution {
            let rates = code.passAt.map { "pass@\($0.k) \(percent($0.value, $0.interval))" }.joined(separator: " · ")
            let ends = CodeExecution.Verdict.allCases.compactMap { verdict in
                code.verdicts[verdict.rawValue].map { "\(verdict.words) \($0)" }
            }
            lines.append(
                "  code execution [\(code.isolation.joined(separator: ", "))]: \(rates) · runs: \(ends.joined(separator: ", "))"
            )
        }
        if let judged = summary.judged {
            var line = "  judge \(judged.judge) with \(judged.template): \(verdictCounts(judged.verdicts))"
            line += "; \(judged.unparsed) replies without a verdict, \(judged.failed) failed"
            if let p50 = judged.latencyMilliseconds.p50 { line += String(format: "; judge latency p50 %.0f ms", p50) }
            if let cost = judged.costUSD { line += String(format: ", judge cost $%.4f", cost) }
            lines.append(line)
        }
        if summary.accuracyNormalized != nil {
            lines.append("  acc_norm \(percent(summary.accuracyNormalized, summary.intervalNormalized))")
        }
        if let mc2 = summary.trueShare {
            lines.append(String(format: "  MC2 (probability on true answers) %.3f ± %.3f", mc2.mean, mc2.standardError))
        }
        if let calibration = summary.calibration {
            lines.append(
                String(
                    format: "  calibration: ECE %.3f (10 equal-mass bins), 1-bin %.3f, Brier %.3f over %d items",
                    calibration.expectedCalibrationError, calibration.oneBinError, calibration.brier ?? .nan,
                    calibration.n) + (calibration.n < 300 ? " (under 300 items: ECE is noisy)" : ""))
        }
        if let agreement = summary.agreement, let passAtK = summary.passAtK, let passHatK = summary.passHatK {
            let k = summary.repeats
            lines.append(
                String(
                    format:
                        "  %d repeats: outcome agrees on %.1f %% of items, identical text %.1f %%, identical answer %.1f %% · pass@%d %.1f %% · pass^%d %.1f %%",
                    k, agreement * 100, (summary.identicalAnswers ?? 0) * 100, (summary.identicalExtracted ?? 0) * 100,
                    k, passAtK * 100, k, passHatK * 100))
        }
        if let cost = summary.costUSD {
            let perCorrect =
                summary.costPerCorrectUSD.map { String(format: ", $%.4g per correct answer", $0) }
                ?? ", no correct answer"
            let perItems = summary.costPer1KItemsUSD.map { String(format: ", $%.4g per 1K items", $0) } ?? ""
            lines.append(String(format: "  cost $%.4f", cost) + perCorrect + perItems)
        }
        if let cached = summary.cached { lines.append("  \(cached) answers from the response cache (not paid again)") }
        return lines
    }

    /// "verdicts CORRECT=12, INCORRECT=5 (17 answers)": each verdict with its count, scores in numeric order.
    static func verdictCounts(_ verdicts: [String: Int]) -> String {
        guard !verdicts.isEmpty else { return "no verdicts" }
        let ordered = verdicts.sorted { a, b in
            if let x = Double(a.key), let y = Double(b.key) { return x < y }
            return a.key < b.key
        }
        let total = verdicts.values.reduce(0, +)
        return "verdicts " + ordered.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + " (\(total) answers)"
    }

    /// "A and B agree on x % of n (Cohen's κ k)".
    static func agreementLine(_ raters: [String], _ agreement: RaterAgreement) -> String {
        let kappa = agreement.kappa.map { String(format: "%.2f", $0) } ?? "undefined"
        return raters.joined(separator: " and ") + String(format: " agree on %.1f %%", agreement.observed * 100)
            + " of \(agreement.n) (Cohen's κ \(kappa))"
    }

    /// Pairwise preference: win rates per pair, ratings with intervals, the bias report and warnings.
    public static func pairwise(_ summary: PairwiseSummary) -> [String] {
        func percent(_ rate: Rate) -> String {
            String(format: "%.1f %%", rate.value * 100)
                + (rate.interval.map { String(format: " (%.1f–%.1f)", $0.lower * 100, $0.upper * 100) } ?? "")
        }
        var lines = [
            "pairwise preference judged by \(summary.judge) with \(summary.template), both orders: \(summary.judgments) pairs, \(summary.unparsed) without a verdict, \(summary.failed) failed"
        ]
        for pair in summary.pairs {
            lines.append(
                "  \(pair.candidates[0]) wins \(percent(pair.firstWins)) · \(pair.candidates[1]) wins \(percent(pair.secondWins)) · ties \(percent(pair.ties)) over \(pair.compared) items"
            )
        }
        if let ratings = summary.ratings {
            lines.append(
                "  Bradley–Terry ratings (Elo scale, 95 % bootstrap interval over \(ratings.resamples) resamples):")
            for rating in ratings.ratings.sorted(by: { $0.rating > $1.rating }) {
                let range = rating.interval.map { String(format: " (%.0f–%.0f)", $0.lower, $0.upper) } ?? ""
                lines.append(String(format: "    %.0f", rating.rating) + range + "  \(rating.candidate)")
            }
        }
        var bias = "  bias: position flips \(percent(summary.bias.positionFlips))"
        if let first = summary.bias.firstShownPreferred { bias += " · answer shown first preferred \(percent(first))" }
        if let r = summary.bias.lengthCorrelation { bias += String(format: " · length correlation r = %.2f", r) }
        if let longer = summary.bias.longerWins { bias += " · longer answer wins \(percent(longer))" }
        lines.append(bias)
        lines += summary.warnings.map { "  warning: \($0)" }
        var cost = ""
        if let p50 = summary.judgeLatencyMilliseconds.p50 { cost += String(format: "judge latency p50 %.0f ms", p50) }
        if let usd = summary.judgeCostUSD { cost += String(format: ", judge cost $%.4f", usd) }
        if !cost.isEmpty { lines.append("  " + cost) }
        return lines
    }

    /// Judge agreement: κ per pair, Krippendorff's α, agreement with human labels.
    public static func agreement(_ agreement: JudgeAgreement) -> [String] {
        let names = agreement.raters.joined(separator: ", ")
        var lines = [
            "\(agreement.raters.count) raters (\(names)) on \(agreement.units) answers labelled by two or more"
        ]
        if let alpha = agreement.alpha { lines.append(String(format: "  Krippendorff's α (nominal) %.3f", alpha)) }
        if let alpha = agreement.alphaInterval {
            lines.append(String(format: "  Krippendorff's α (interval: scores) %.3f", alpha))
        }
        lines += agreement.pairs.map { "  " + agreementLine($0.raters, $0.agreement) }
        lines += (agreement.human ?? []).map { "  " + agreementLine($0.raters, $0.agreement) }
        return lines
    }

    /// A comparison in a few lines: the difference with its intervals, McNemar, what N can detect, the verdict.
    public static func comparison(_ comparison: EvalComparison) -> [String] {
        if let mismatch = comparison.mismatch {
            return ["not comparable: \(mismatch)"]
        }
        var lines = [
            "\(comparison.pairedItems) items scored by both (\(comparison.onlyInA) only in A, \(comparison.onlyInB) only in B)"
        ]
        if let a = comparison.accuracyA, let b = comparison.accuracyB {
            lines.append(String(format: "A %.1f %% · B %.1f %%", a * 100, b * 100))
        }
        guard let paired = comparison.paired else {
            lines.append("too few paired items for a difference")
            return lines
        }
        if let score = paired.scoreInterval {
            lines.append(
                String(
                    format:
                        "A − B = %+.1f points on N = %d items (95 %% score CI %+.1f to %+.1f; normal %+.1f to %+.1f; paired bootstrap %+.1f to %+.1f)",
                    paired.meanDifference * 100, paired.n, score.lower * 100, score.upper * 100,
                    paired.interval.lower * 100, paired.interval.upper * 100, paired.bootstrapInterval.lower * 100,
                    paired.bootstrapInterval.upper * 100))
        } else {
            lines.append(
                String(
                    format:
                        "A − B = %+.1f points on N = %d items (95 %% CI %+.1f to %+.1f; paired bootstrap %+.1f to %+.1f)",
                    paired.meanDifference * 100, paired.n, paired.interval.lower * 100, paired.interval.upper * 100,
                    paired.bootstrapInterval.lower * 100, paired.bootstrapInterval.upper * 100))
        }
        if let onlyA = paired.onlyA, let onlyB = paired.onlyB, let p = paired.mcnemarP {
            let settles =
                onlyA + onlyB >= McNemar.minimumDiscordant
                ? ""
                : "; cannot tell: with fewer than \(McNemar.minimumDiscordant) items where they differ no difference can reach p < 0.05"
            lines.append(
                String(
                    format: "McNemar on N = %d items: %d only A got right, %d only B; exact p = %.4g", paired.n, onlyA,
                    onlyB, p) + settles)
        }
        if let mdd = comparison.minimumDetectableDifference {
            lines.append(
                String(
                    format:
                        "with %d items this comparison can detect a difference of about %.1f points (α 0.05, power 0.8)",
                    paired.n, mdd * 100))
        }
        if let verdict = comparison.nonInferiority { lines.append(verdict.sentence) }
        return lines
    }
}
