/// What tells one language from others written in the same script: its common function words and the letters
/// peculiar to it. The word lists leave out words that are just as common in a neighbour (Spanish and Portuguese
/// "para", Italian and French "il"), so each word is evidence for its language.
struct LanguageProfile: Sendable {
    let code: String
    let words: Set<String>
    let letters: Set<Unicode.Scalar>

    init(code: String, words: String = "", letters: String = "") {
        self.code = code
        self.words = Set(words.split(separator: " ").map(String.init))
        self.letters = Set(letters.unicodeScalars)
    }

    /// One point for each word of the text in the list and each letter peculiar to the language.
    func score(words textWords: [String], scalars: String.UnicodeScalarView) -> Int {
        textWords.count(where: words.contains) + (letters.isEmpty ? 0 : scalars.count(where: letters.contains))
    }

    /// The best-scoring profile for `text`; the first one on a tie.
    static func best(of candidates: [LanguageProfile], for text: String) -> String? {
        guard candidates.count > 1 else { return candidates.first?.code }
        let lowered = text.lowercased()
        let textWords = TextUnits.words(lowered).map(String.init)
        let scores = candidates.map { $0.score(words: textWords, scalars: lowered.unicodeScalars) }
        guard let top = scores.max() else { return nil }
        return scores.firstIndex(of: top).map { candidates[$0].code }
    }

    static let latin = [
        LanguageProfile(
            code: "en",
            words: """
                the and of to is that it was for with are they this have from by but not what which their there were \
                will would you your been if my our about these those should could can has had be at or we she his \
                her its them than then also how who more some into just like because
                """),
        LanguageProfile(
            code: "de",
            words: """
                der die das und ist nicht ich sie den mit zu ein eine einen einer auf für von dem sich auch wir \
                werden wird oder aber wenn noch nach bei sind über kann dass nur wie im haben hat sein diese dieser \
                durch als ihr uns
                """,
            letters: "ßü"),
        LanguageProfile(
            code: "fr",
            words: """
                le les des et est une du qui dans pour pas sur au avec ce elle sont ou nous vous plus par aux cette \
                être été très leur ces sa ses comme aussi fait peut tout je ils
                """,
            letters: "œêûëîç"),
        LanguageProfile(
            code: "es",
            words: """
                el los las del y es su sus más pero muy también fue está son cuando hay sin ya porque usted puede \
                desde hasta donde yo eso esto ellos aunque tiene hacer así cómo qué
                """,
            letters: "ñ¿¡"),
        LanguageProfile(
            code: "it",
            words: """
                di che per non sono della gli nel nella alla dei delle degli è questo questa anche più essere suo \
                loro molto quando perché già tutto tutti stato fatto cosa ancora dove uno ci sul sulla nei hanno ogni
                """),
        LanguageProfile(
            code: "pt",
            words: """
                não os as do dos das em um uma ao aos é foi ele ela eles elas isso isto essa esse também são pelo \
                pela muito muita já você seu às ainda pode fazer tem sem então onde mesmo depois agora nosso nossa há
                """,
            letters: "ãõ"),
        LanguageProfile(
            code: "nl",
            words: """
                het een van dat niet op te zijn voor met ik ook maar aan er om wat wordt worden nog bij uit naar hij \
                ze deze dit heeft hebben geen wel meer waar zich
                """),
        LanguageProfile(
            code: "fi",
            words: """
                ja on ei että oli ovat hän mutta kuin myös tai joka jotka ole niin sen kun mitä tämä vain voi jos \
                sitä hänen olla mukaan nyt siitä kanssa tässä olen olet koska sekä eli vielä jo hyvin paljon minä sinä
                """),
        LanguageProfile(
            code: "vi",
            words: """
                và của là có các những được trong không cho này với một người đã để khi từ về cũng như đến nhiều \
                theo rất tôi bạn chúng sẽ thì nhưng hoặc vì nên đó ra làm đi năm lại còn mà
                """,
            letters: "đơưăạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"),
        LanguageProfile(
            code: "sw",
            words: """
                na ya wa kwa ni za katika cha hii kuwa pia lakini kama sana watu yake hiyo huo mimi wewe yeye sisi \
                nini hapa kwamba baada kila zaidi hata bado vya wao ili huu hizi hilo
                """),
        LanguageProfile(
            code: "id",
            words: """
                yang dan ini itu dengan untuk tidak dari dalam akan pada juga ke karena ada bisa atau saya kami \
                mereka adalah sudah oleh lebih seperti kita telah dapat harus banyak tetapi hanya saat masih
                """),
    ]

    static let cyrillic = [
        LanguageProfile(
            code: "ru",
            words: """
                что это он она они был была было были его её из к уже если же только ещё бы вы мы очень когда \
                который которые которая может есть нет всё чтобы также этот эта эти тоже сейчас где себя
                """,
            letters: "ыэё"),
        LanguageProfile(
            code: "bg",
            words: """
                е са се да със че това тази този тези които който която което като ще бъде беше има няма много \
                още след ги му тя те ние вие аз защото когато също във какво тук само сега вече към нещо
                """,
            letters: "ъ"),
        LanguageProfile(
            code: "uk",
            words: """
                і що це як він вона вони був була та але від із які який яка бути також тому свої їх ми ви ти його \
                є немає дуже коли тільки якщо вже або щоб цього цей ця ці нас
                """,
            letters: "іїєґ"),
        LanguageProfile(code: "sr", letters: "ђћџјљњ"),
        LanguageProfile(code: "mk", letters: "ѓќѕјљњџ"),
    ]

    static let arabic = [
        LanguageProfile(
            code: "ar",
            words: "في من على إلى أن عن مع هذا هذه التي الذي كان لا ما هو هي قد كل بين ذلك أو ثم لم إن",
            letters: "ةيكى"),
        LanguageProfile(
            code: "fa",
            words: "است این را که با از به در می برای آن یک هم شد شده نیز تا کرد بود های هست او ها",
            letters: "پچژگکی"),
        LanguageProfile(
            code: "ur",
            words: "ہے کے کی میں اور سے کا نے کو یہ ہیں پر بھی تھا ایک کہ وہ نہیں تو ہو کر گیا",
            letters: "پچژگکیٹڈڑںےھہ"),
    ]

    static let devanagari = [
        LanguageProfile(
            code: "hi",
            words: """
                है हैं के में की और से का यह नहीं पर भी था थे थी लिए कि जो होता होती करने गया किया तो ही वे इस उस अपने
                """),
        LanguageProfile(
            code: "mr",
            words: """
                आहे आहेत आणि या हे ते च्या मध्ये नाही केले होते त्या त्यांच्या आपल्या करून असे म्हणून तसेच पण व होता \
                सर्व
                """,
            letters: "ळ"),
        LanguageProfile(
            code: "ne",
            words: """
                छ छन् र मा हो पनि भएको यो थियो हुन्छ गर्न गरेको गर्ने तर लागि सक्छ हुने हुन रहेको थिए गरी भने यस \
                त्यो उनी हाम्रो तपाईं
                """),
    ]
}
