import BenchCore
import BenchRunner
import Testing

@Suite struct ArrivalScheduleTests {
    @Test func poissonArrivalsHaveTheRequestedRateAndUnitCoefficientOfVariation() {
        let rate = 20.0
        let offsets = Array(ArrivalSchedule(rate: rate, process: .poisson, seed: 42).prefix(10_001)).map(\.seconds)
        let gaps = (1..<offsets.count).map { offsets[$0] - offsets[$0 - 1] }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let variance = gaps.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(gaps.count - 1)
        let measuredRate = 1 / mean
        let cv = variance.squareRoot() / mean
        #expect(abs(measuredRate - rate) / rate < 0.03, "rate \(measuredRate)")
        #expect(abs(cv - 1) < 0.05, "CV \(cv)")
        #expect(gaps.allSatisfy { $0 >= 0 })
    }

    @Test func poissonScheduleIsReproducibleFromItsSeed() {
        let a = Array(ArrivalSchedule(rate: 5, process: .poisson, seed: 7).prefix(100))
        let b = Array(ArrivalSchedule(rate: 5, process: .poisson, seed: 7).prefix(100))
        let c = Array(ArrivalSchedule(rate: 5, process: .poisson, seed: 8).prefix(100))
        #expect(a == b)
        #expect(a != c)
    }

    @Test func constantArrivalsAreAbsoluteMultiplesOfThePeriod() {
        let offsets = Array(ArrivalSchedule(rate: 3, process: .constant, seed: 0).prefix(3001))
        #expect(offsets[0] == .zero)
        #expect(offsets[3] == .seconds(1))
        // No drift: the 3000th start is exactly 1000 s, not 3000 × a rounded period.
        #expect(offsets[3000] == .seconds(1000))
    }
}
