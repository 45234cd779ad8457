import Testing

@testable import Rendering

@Suite("Byte search and replace")
struct ByteSearchTests {
    @Test(arguments: [
        ("token=abc&x=abc", "abc", "review-copy", "token=review-copy&x=review-copy"),
        ("aaaa", "aa", "b", "bb"),
        ("Grüße, abc – 日本 abc", "abc", "✓", "Grüße, ✓ – 日本 ✓"),
        ("nothing here", "abc", "x", "nothing here"),
        ("abc", "", "x", "abc"),
        ("ab", "abc", "x", "ab"),
    ])
    func replacesEveryOccurrenceLikeFoundation(text: String, target: String, replacement: String, expected: String) {
        #expect(ByteSearch.replacing(target, with: replacement, in: text) == expected)
    }

    @Test func containsFindsAPartAnywhereAndOnlyWhole() {
        #expect(ByteSearch.contains("<a href=\"https://x/?a=1&amp;b=2\">", "a=1&amp;b=2"))
        #expect(ByteSearch.contains("xyz", "xyz"))
        #expect(!ByteSearch.contains("xy", "xyz"))
        #expect(!ByteSearch.contains("xxy", "xyy"))
        #expect(ByteSearch.contains("anything", ""))
    }
}
