import ArgumentParser
import BenchMetrics
import Foundation

struct EvalPlan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-plan",
        abstract: "How many items a comparison of two models needs, or what a given number can detect.",
        discussion: """
            Paired (both models on the same items): δ = k·√(discordance/N) and N = k²·discordance/δ², where the \\
            discordance is the share of items exactly one model gets right (from `eval-compare`, or about \\
            2p(1 − p) when the two models' errors are unrelated). Unpaired: δ = k·√(2p(1 − p)/N). k = z(1 − α/2) \\
            + z(power): 2.80 for α 0.05 and power 0.8.
            """
    )

    @Option(parsing: .unconditional, help: "The difference to detect, in points (e.g. 2 for two accuracy points).")
    var difference: Double?
    @Option(parsing: .unconditional, help: "With this many items: the smallest difference they can detect.")
    var items: Int?
    @Option(parsing: .unconditional, help: "Expected accuracy of the models (0–1).")
    var accuracy = 0.7
    @Option(parsing: .unconditional, help: "Share of items exactly one model gets right (0–1); default 2p(1 − p).")
    var discordance: Double?
    @Option(parsing: .unconditional, help: "Significance level (two-sided).")
    var alpha = 0.05
    @Option(parsing: .unconditional, help: "Power.")
    var power = 0.8

    func validate() throws {
        guard difference != nil || items != nil else { throw ValidationError("give --difference or --items") }
        guard (0.0...1.0).contains(accuracy), (0.0...1.0).contains(discordance ?? 0.5) else {
            throw ValidationError("--accuracy and --discordance are shares from 0 to 1")
        }
        guard alpha > 0, alpha < 1, power > 0, power < 1 else {
            throw ValidationError("--alpha and --power are between 0 and 1")
        }
        if let difference, difference <= 0 || difference >= 100 {
            throw ValidationError("--difference is in points, above 0 and below 100")
        }
        if let items, items < 1 { throw ValidationError("--items is at least 1") }
    }

    func run() async throws {
        let share = discordance ?? 2 * accuracy * (1 - accuracy)
        let k = SamplePlanner.multiplier(alpha: alpha, power: power)
        print(
            String(
                format: "α %.3g, power %.2g (k = %.2f); accuracy %.2f, discordance %.3f", alpha, power, k, accuracy,
                share) + (discordance == nil ? " (assumed 2p(1 − p))" : ""))
        if let difference {
            let delta = difference / 100
            let paired = SamplePlanner.pairedItemsNeeded(
                difference: delta, discordance: share, alpha: alpha, power: power)
            let unpaired = SamplePlanner.unpairedItemsNeeded(
                difference: delta, accuracy: accuracy, alpha: alpha, power: power)
            print(
                "to detect \(difference) points: \(paired) items paired (both models on the same items), \(unpaired) per model unpaired"
            )
        }
        if let items {
            let paired = SamplePlanner.pairedMinimumDetectableDifference(
                items: items, discordance: share, alpha: alpha, power: power)
            let unpaired = SamplePlanner.unpairedMinimumDetectableDifference(
                items: items, accuracy: accuracy, alpha: alpha, power: power)
            print(
                String(
                    format:
                        "with %d items: differences of about %.1f points paired, %.1f points unpaired can be detected",
                    items, paired * 100, unpaired * 100))
        }
    }
}
