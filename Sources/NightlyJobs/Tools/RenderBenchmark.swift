import Foundation
import NightlyCore
import Rendering

/// Measures how many recovery e-mails a second of rendering produces: each one rendered to HTML from the
/// templates, turned into its text part through libxml2, and written as a complete `.eml`.
public enum RenderBenchmark {
    /// What one benchmark run measured.
    public struct Result: Sendable {
        public var messages: Int
        public var seconds: Double
        public var bytes: Int
        public var messagesPerSecond: Double { Double(messages) / seconds }
    }

    /// Renders `messages` e-mails, cycling through the sample carts, locales and e-mail stages, with a fresh id,
    /// code and tokens each.
    public static func run(templatesDirectory: String, messages: Int, settings: RecoverySettings) async throws -> Result {
        let templates = try RecoveryTemplates(templates: try TemplateSet(overriding: templatesDirectory))
        let formatting = LocalizedFormatting()
        let stages = RecoveryStage.messageStages.filter { $0.channel == .email }
        var generator = SystemRandomNumberGenerator()
        let now = Date()
        let clock = ContinuousClock()
        var bytes = 0
        let elapsed = try clock.measure {
            for index in 0..<messages {
                let sample = RecoverySamples.all[index % RecoverySamples.all.count]
                let locale = templates.locales[index / RecoverySamples.all.count % templates.locales.count]
                let stage = stages[index / (RecoverySamples.all.count * templates.locales.count) % stages.count]
                var message = RecoverySamples.message(sample, stage: stage, locale: locale, settings: settings, now: now)
                message.id = UUID()
                message.code = DiscountCode.generate(using: &generator)
                message.token = LinkToken.generate(using: &generator)
                message.unsubscribeToken = LinkToken.generate(using: &generator)
                guard case .email(let email) = try templates.render(message, settings: settings, formatting: formatting).content
                else { continue }
                bytes += email.message.eml.utf8.count
            }
        }
        return Result(
            messages: messages,
            seconds: elapsed.timeInterval, bytes: bytes)
    }
}
