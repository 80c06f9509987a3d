import Foundation

/// A small deterministic language identifier for `language:response_language` and the English checks of
/// `change_case:*`, returning ISO 639-1 codes.
///
/// It counts the letters of each writing system and takes the most common one. A script that one language writes
/// names it: Greek el, Armenian hy, Hebrew he, Bengali bn, Gurmukhi pa, Gujarati gu, Oriya or, Tamil ta, Telugu te,
/// Kannada kn, Malayalam ml, Sinhala si, Thai th, Lao lo, Tibetan bo, Myanmar my, Georgian ka, Hangul ko,
/// Ethiopic am, Khmer km. Han with at least 5% kana among the CJK letters is Japanese (ja), otherwise Chinese (zh).
/// Where a script serves several languages, each candidate scores a point for every word of the text in its list of
/// common function words and for every letter peculiar to it, and the highest score wins:
/// - Latin: en, de, fr, es, it, pt, nl, fi, vi, sw, id;
/// - Cyrillic: ru, bg, uk, sr, mk;
/// - Arabic: ar, fa, ur;
/// - Devanagari: hi, mr, ne.
///
/// Limits: a tie, or text with no evidence, goes to the first candidate listed (en, ru, ar, hi), so a Latin-script
/// text in an unsupported language (say Swedish or Tagalog) reads as whichever supported language it shares most
/// function words with, often English. Very short texts (a few words) are guesses. Mixed-language text is the
/// language of its dominant script, so a Hindi answer quoting English is Hindi. Assamese reads as Bengali,
/// Shahmukhi Punjabi as Urdu, Belarusian as Ukrainian or Russian, Cantonese as Chinese, Latin-script Serbian as
/// whatever Latin language it resembles. Text with no letters of these scripts gets no language (nil).
public enum LanguageIdentifier {
    /// Every code ``identify(_:)`` can return.
    public static let supportedCodes: Set<String> = Set(
        WritingSystem.allCases.flatMap { $0.candidates.map(\.code) } + ["ja", "zh"])

    /// The language of `text`, or nil when it has no letters of a known script.
    public static func identify(_ text: String) -> String? {
        let normalized = text.precomposedStringWithCanonicalMapping
        var letters: [WritingSystem: Int] = [:]
        var kana = 0
        for scalar in normalized.unicodeScalars where scalar.properties.isAlphabetic {
            guard let system = WritingSystem(scalar) else { continue }
            letters[system, default: 0] += 1
            if WritingSystem.isKana(scalar) { kana += 1 }
        }
        guard let count = letters.values.max(),
            let dominant = WritingSystem.allCases.first(where: { letters[$0] == count })
        else { return nil }
        if dominant == .cjk { return kana * 20 >= count ? "ja" : "zh" }
        return LanguageProfile.best(of: dominant.candidates, for: normalized)
    }
}

/// The writing systems the identifier tells apart (kana and Han together as CJK).
enum WritingSystem: CaseIterable {
    case latin, greek, cyrillic, armenian, hebrew, arabic, devanagari, bengali, gurmukhi, gujarati, oriya, tamil
    case telugu, kannada, malayalam, sinhala, thai, lao, tibetan, myanmar, georgian, hangul, ethiopic, khmer, cjk

    init?(_ scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF, 0xFF21...0xFF3A, 0xFF41...0xFF5A: self = .latin
        case 0x370...0x3FF, 0x1F00...0x1FFF: self = .greek
        case 0x400...0x52F, 0x1C80...0x1C8F, 0x2DE0...0x2DFF, 0xA640...0xA69F: self = .cyrillic
        case 0x530...0x58F: self = .armenian
        case 0x590...0x5FF, 0xFB1D...0xFB4F: self = .hebrew
        case 0x600...0x6FF, 0x750...0x77F, 0x8A0...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: self = .arabic
        case 0x900...0x97F, 0xA8E0...0xA8FF: self = .devanagari
        case 0x980...0x9FF: self = .bengali
        case 0xA00...0xA7F: self = .gurmukhi
        case 0xA80...0xAFF: self = .gujarati
        case 0xB00...0xB7F: self = .oriya
        case 0xB80...0xBFF: self = .tamil
        case 0xC00...0xC7F: self = .telugu
        case 0xC80...0xCFF: self = .kannada
        case 0xD00...0xD7F: self = .malayalam
        case 0xD80...0xDFF: self = .sinhala
        case 0xE00...0xE7F: self = .thai
        case 0xE80...0xEFF: self = .lao
        case 0xF00...0xFFF: self = .tibetan
        case 0x1000...0x109F: self = .myanmar
        case 0x10A0...0x10FF, 0x2D00...0x2D2F: self = .georgian
        case 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7FF: self = .hangul
        case 0x1200...0x139F, 0x2D80...0x2DDF: self = .ethiopic
        case 0x1780...0x17FF: self = .khmer
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,
            0x20000...0x2FA1F:
            self = .cjk
        default: return nil
        }
    }

    static func isKana(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: true
        default: false
        }
    }

    /// The languages written in this script, the default first (CJK is decided by its kana).
    var candidates: [LanguageProfile] {
        switch self {
        case .latin: LanguageProfile.latin
        case .cyrillic: LanguageProfile.cyrillic
        case .arabic: LanguageProfile.arabic
        case .devanagari: LanguageProfile.devanagari
        case .greek: [LanguageProfile(code: "el")]
        case .armenian: [LanguageProfile(code: "hy")]
        case .hebrew: [LanguageProfile(code: "he")]
        case .bengali: [LanguageProfile(code: "bn")]
        case .gurmukhi: [LanguageProfile(code: "pa")]
        case .gujarati: [LanguageProfile(code: "gu")]
        case .oriya: [LanguageProfile(code: "or")]
        case .tamil: [LanguageProfile(code: "ta")]
        case .telugu: [LanguageProfile(code: "te")]
        case .kannada: [LanguageProfile(code: "kn")]
        case .malayalam: [LanguageProfile(code: "ml")]
        case .sinhala: [LanguageProfile(code: "si")]
        case .thai: [LanguageProfile(code: "th")]
        case .lao: [LanguageProfile(code: "lo")]
        case .tibetan: [LanguageProfile(code: "bo")]
        case .myanmar: [LanguageProfile(code: "my")]
        case .georgian: [LanguageProfile(code: "ka")]
        case .hangul: [LanguageProfile(code: "ko")]
        case .ethiopic: [LanguageProfile(code: "am")]
        case .khmer: [LanguageProfile(code: "km")]
        case .cjk: []
        }
    }
}
