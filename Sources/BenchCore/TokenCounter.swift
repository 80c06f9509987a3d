/// Counts tokens of generated text in a model's own tokenizer, for requests whose server reported no usage: the
/// count is then recorded with ``TokenCountSource/tokenizer``, and chunk counts stay the last resort.
public protocol TokenCounter: Sendable {
    /// What counts, as reports name it ("the server's /tokenize").
    var name: String { get }

    /// The number of tokens `text` is in the model's tokenizer, without special tokens.
    func countTokens(_ text: String) async throws -> Int
}
