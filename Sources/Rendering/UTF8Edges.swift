/// White space at the edges of UTF-8 text, decided without making a `String`.
enum UTF8Edges {
    /// Whether the first scalar is white space (Unicode `White_Space`, as `Character.isWhitespace`).
    static func startsWithWhitespace<Text: Collection<UInt8>>(_ text: Text) -> Bool {
        var iterator = text.makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return false }
        return scalar.properties.isWhitespace
    }

    /// Whether the last scalar is white space (Unicode `White_Space`).
    static func endsWithWhitespace<Text: Collection<UInt8>>(_ text: Text) -> Bool {
        lastScalar(of: Array(text.suffix(4)))?.properties.isWhitespace ?? false
    }

    /// The byte width of a leading tab or space separator (Unicode category Zs), or nil.
    static func leadingHorizontalSpaceWidth(_ bytes: ArraySlice<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator), isHorizontalSpace(scalar) else { return nil }
        return UTF8.width(scalar)
    }

    /// The byte width of a trailing tab or space separator (Unicode category Zs), or nil.
    static func trailingHorizontalSpaceWidth(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard let scalar = lastScalar(of: Array(bytes.suffix(4))), isHorizontalSpace(scalar) else { return nil }
        return UTF8.width(scalar)
    }

    /// A tab or a space separator: what `CharacterSet.whitespaces` holds.
    private static func isHorizontalSpace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar == " " || scalar == "\t" }
        return scalar.properties.generalCategory == .spaceSeparator
    }

    /// The scalar that `tail` (at most the last four bytes of a text) ends with.
    private static func lastScalar(of tail: [UInt8]) -> Unicode.Scalar? {
        guard let last = tail.last else { return nil }
        if last < 0x80 { return Unicode.Scalar(last) }
        // Back up to the lead byte of the last scalar, then decode from there.
        guard let lead = tail.lastIndex(where: { $0 & 0xC0 != 0x80 }) else { return nil }
        var iterator = tail[lead...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return nil }
        return scalar
    }
}
