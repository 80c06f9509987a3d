import BenchEngine
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The open-file limit the engine raises at start, and the note a run gets when it still does not fit.
struct DescriptorLimitTests {
    #if canImport(Glibc)
    @Test func theSoftLimitIsRaisedToTheHardOne() throws {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var limit = rlimit()
        try #require(getrlimit(resource, &limit) == 0)
        let cap = 1 << 20
        let hard = limit.rlim_max == rlim_t.max ? cap : Int(limit.rlim_max)
        try #require(hard > 100, "the hard limit here is \(hard)")
        // One below the ceiling (harmless to the tests running beside this one), then raised back.
        limit.rlim_cur = rlim_t(min(hard, cap) - 1)
        try #require(setrlimit(resource, &limit) == 0)
        let raised = DescriptorLimit.raised(cap: cap)
        #expect(raised.soft == min(hard, cap))
        #expect(raised.hard == hard)
        try #require(getrlimit(resource, &limit) == 0)
        #expect(Int(limit.rlim_cur) == min(hard, cap))
    }
    #endif

    @Test func aRunThatFitsGetsNoNoteAndOneThatDoesNotIsToldTheLimitAndTheFix() throws {
        let limit = DescriptorLimit(soft: 1_024, hard: 4_096)
        #expect(limit.connections == 1_024 - DescriptorLimit.reserve)
        #expect(limit.note(forConnections: 900) == nil)
        let note = try #require(limit.note(forConnections: 10_000))
        #expect(note.contains("1024 (hard 4096)"))
        #expect(note.contains("may open 10000"))
        #expect(note.contains("ulimit -n \(10_000 + DescriptorLimit.reserve)"))
    }
}
