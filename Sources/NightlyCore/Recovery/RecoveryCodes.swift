import Foundation

/// Single-use discount codes such as `K7QM-3XRT-9PWA`: uniform draws from an alphabet without the characters
/// people confuse (0/O, 1/I/L). Pass `SystemRandomNumberGenerator` (a CSPRNG: getrandom(2) on Linux) in
/// production and a seeded generator in tests.
public enum DiscountCode {
    /// The 31 characters a code is made of.
    public static let alphabet: [Character] = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    /// Groups of four characters joined by `-`: 31^12 ≈ 7.9 · 10^17 possible codes.
    public static let groups = 3
    public static let groupLength = 4

    /// A new code drawn from `generator`.
    public static func generate<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        (0..<groups).map { _ in
            String((0..<groupLength).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        }.joined(separator: "-")
    }

    /// Whether `code` has the shape and alphabet of a generated code (the storefront may normalise case first).
    public static func isWellFormed(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == groups
            && parts.allSatisfy { $0.count == groupLength && $0.allSatisfy(alphabet.contains) }
    }
}

/// Opaque link tokens: 32 random bytes as unpadded base64url (43 characters). Only a SHA-256 hash of a token is
/// stored; the storefront hashes the token it receives and looks the hash up.
public enum LinkToken {
    /// A new token drawn from `generator`.
    public static func generate<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(33)
        for _ in 0..<4 { withUnsafeBytes(of: generator.next().littleEndian) { bytes.append(contentsOf: $0) } }
        // Base64url without padding (RFC 4648 §5), six bits per character, most significant first.
        var characters = [UInt8]()
        characters.reserveCapacity(43)
        var bits = 0
        var pending = 0
        for byte in bytes {
            pending = pending << 8 | Int(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                characters.append(base64URLAlphabet[pending >> bits & 63])
            }
        }
        if bits > 0 { characters.append(base64URLAlphabet[pending << (6 - bits) & 63]) }
        return String(decoding: characters, as: UTF8.self)
    }

    private static let base64URLAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
}

/// Text cut to a length limit: push titles and bodies, product names in e-mails, chart labels.
public enum TextLimit {
    /// `text` with surrounding white space removed, cut to at most `limit` characters (grapheme clusters, so
    /// an emoji or an accented letter is never split), ending in `…` when cut.
    public static func truncate(_ text: String, to limit: Int) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count > limit else { return trimmed }
        return trimmed.prefix(max(0, limit - 1)).trimmingCharacters(in: .whitespaces) + "…"
    }
}
