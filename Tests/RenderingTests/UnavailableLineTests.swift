import Foundation
import NightlyCore
import Rendering
import Testing
import TestSupport

@Suite("Recovery messages: lines out of stock")
struct UnavailableLineTests {
    let settings = RecoverySettings()

    /// The sample's skillet (54.90 €) failed its stock check; the apron (29 €) is in stock.
    static let wording: [(String, String, String)] = [
        ("en-US", "Currently unavailable", "€29.00"),
        ("de-DE", "Derzeit nicht verfügbar", "29,00\u{a0}€"),
        ("ja-JP", "現在在庫切れ", "€29.00"),
    ]

    /// In every locale and e-mail stage the unavailable line says so instead of its price, and the total leaves
    /// it out.
    @Test(arguments: wording)
    func unavailableLinesAreMarkedAndLeftOutOfTheTotal(_ locale: String, _ label: String, _ total: String) async throws {
        let templates = try await recoveryTemplates()
        #expect(templates.locales.contains(locale))
        let sample = try #require(RecoverySamples.all.first { $0.name == "out-of-stock" })
        for stage in [RecoveryStage.firstEmail, .secondEmail] {
            let message = RecoverySamples.message(sample, stage: stage, locale: locale, settings: settings, now: testNow)
            #expect(message.total == 29)
            guard case .email(let email) = try templates.render(message, settings: settings, formatting: LocalizedFormatting()).content
            else { Issue.record("not an e-mail"); continue }
            for part in [email.html, email.text] {
                #expect(part.contains(label), "\(locale) \(stage)")
                #expect(part.contains(total), "\(locale) \(stage)")
                #expect(!part.contains("54.90") && !part.contains("54,90") && !part.contains("83.90") && !part.contains("83,90"),
                        "\(locale) \(stage): the unavailable line's price or a total with it")
            }
        }
    }

    /// Every locale's layout overrides the label: no locale shows the en-US wording.
    @Test func everyLocaleHasItsOwnWording() async throws {
        let templates = try await recoveryTemplates()
        #expect(Set(templates.locales) == Set(Self.wording.map(\.0)), "a new locale needs its row in `wording`")
    }

    @Test func aPushNamesOnlyWhatIsInStock() async throws {
        let templates = try await recoveryTemplates()
        let sample = try #require(RecoverySamples.all.first { $0.name == "out-of-stock" })
        let message = RecoverySamples.message(sample, stage: .push, locale: "en-US", settings: settings, now: testNow)
        guard case .push(let push) = try templates.render(message, settings: settings, formatting: LocalizedFormatting()).content
        else { Issue.record("not a push"); return }
        #expect(push.body.contains("Linen Apron is still in your cart (€29.00)"), "\(push.body)")
    }
}
