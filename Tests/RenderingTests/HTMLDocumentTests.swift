import Foundation
import Rendering
import Testing
import TestSupport

@Suite("libxml2: HTML to text and references")
struct HTMLDocumentTests {
    @Test func plainTextKeepsLinksListsAndTables() throws {
        let html = """
            <html><head><title>t</title><style>p{}</style></head><body>
            <div style="display:none">preheader</div>
            <h1>Your  cart</h1><p>Hello <b>Zoë</b> &amp; friends.</p>
            <ul><li>One</li><li>Two &lt;b&gt;</li></ul>
            <table><tr><th>Item</th><th>Price</th></tr><tr><td>Mug</td><td>$14.50</td></tr></table>
            <p><a href="https://shop.example/r?t=1">Complete your order</a></p>
            <script>alert(1)</script>
            </body></html>
            """
        let text = try HTMLDocument(html: html).plainText
        #expect(text == """
            Your cart

            Hello Zoë & friends.

            - One
            - Two <b>

            Item | Price
            Mug | $14.50

            Complete your order <https://shop.example/r?t=1>

            """)
    }

    /// E-mail layouts nest tables for layout: their cells become lines, while data tables keep ` | ` between
    /// cells; cells hidden from assistive technology (decorative images) are left out.
    @Test func layoutTablesBecomeLinesAndDataTablesStayTables() throws {
        let html = """
            <table role="presentation"><tr><td>Shop</td></tr><tr><td>
              <table><tr><th aria-hidden="true"></th><th>Item</th><th>Qty</th></tr>
                <tr><td aria-hidden="true"><img src="a.jpg" alt="Mug"></td> <td>Mug</td> <td>2</td></tr></table>
            </td></tr><tr><td><table role="presentation"><tr><td><a href="https://x.example/r">Go</a></td></tr></table></td></tr></table>
            """
        #expect(try HTMLDocument(html: html).plainText == "Shop\nItem | Qty\nMug | 2\nGo <https://x.example/r>\n")
    }

    @Test func referencesAndTexts() throws {
        let document = try HTMLDocument(html: #"<p><a href="a.html">A</a><img src="b.png" alt=""><a href="c.csv">C</a></p>"#)
        #expect(document.references == ["a.html", "b.png", "c.csv"])
        #expect(document.texts(of: "a") == ["A", "C"])
    }
}

@Suite("Templates")
struct TemplateTests {
    @Test func missingTemplateIsAnErrorNotEmptyOutput() async throws {
        let templates = try TemplateSet(directory: Repository.templates)
        let error = #expect(throws: TemplateError.self) { try templates.render("site/no-such-page", [String: String]()) }
        #expect(error?.message.contains("site/no-such-page.mustache") == true)
    }

    @Test func brokenTemplateNamesFileAndLine() async throws {
        let folder = try makeTemporaryDirectory("templates")
        try "line one\n{{#section}}\nnever closed\n".write(
            to: folder.appendingPathComponent("broken.mustache"), atomically: true, encoding: .utf8)
        let error = #expect(throws: TemplateError.self) { try TemplateSet(directory: folder.path) }
        #expect(error?.message.contains("broken.mustache") == true)
        #expect(error?.message.contains(":") == true)
    }

    @Test func valuesAreEscaped() async throws {
        let folder = try makeTemporaryDirectory("templates")
        try "<p>{{name}}</p>".write(to: folder.appendingPathComponent("t.mustache"), atomically: true, encoding: .utf8)
        let templates = try TemplateSet(directory: folder.path)
        #expect(try templates.render("t", ["name": "<script>alert(1)</script> \"q\" & 'a'"])
            == "<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &amp; &#39;a&#39;</p>")
    }
}
