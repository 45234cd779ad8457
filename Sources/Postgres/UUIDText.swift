import Foundation

extension UUID {
    /// Parses the form PostgreSQL writes a `uuid` in, the one `UUID(uuidString:)` reads
    /// (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hexadecimal digits of either case); nil for any other text.
    /// Foundation's parser goes through `sscanf`, which was a tenth of the time spent decoding the recovery pass's
    /// quarter of a million candidate rows (docs/performance.md).
    static func parseCanonical(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { parseCanonical(utf8: $0) }
    }

    /// `parseCanonical` over UTF-8 bytes, such as a 36-byte window of a longer text.
    public static func parseCanonical(utf8: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard utf8.count == 36 else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &raw) { bytes -> Bool in
            var position = 0
            for index in 0..<16 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard utf8[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                }
                guard let high = hexDigit(utf8[position]), let low = hexDigit(utf8[position + 1]) else { return false }
                bytes[index] = high << 4 | low
                position += 2
            }
            return true
        }
        return parsed ? UUID(uuid: raw) : nil
    }

    private static func hexDigit(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
