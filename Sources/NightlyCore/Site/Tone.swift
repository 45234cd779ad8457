import Foundation

/// How a cell is emphasised on the page.
public enum Tone: String, Sendable {
    case bad, good, stale, muted
}
