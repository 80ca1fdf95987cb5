import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Hands `XMLParser`'s callbacks to a `CTFDocument`, one access to it per callback.
final class CTFDelegate: NSObject, XMLParserDelegate {
    private var document: CTFDocument

    /// The builder with everything read so far.
    var builder: RosterBuilder { document.builder }

    init(file: String, options: ReaderOptions, builder: RosterBuilder) {
        document = CTFDocument(file: file, options: options, builder: builder)
    }

    func attach(to parser: XMLParser) {
        parser.delegate = self
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if !document.start(element, line: parser.lineNumber) { parser.abortParsing() }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        document.characters(string)
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        document.end(element)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        document.parseError(parseError, line: parser.lineNumber, column: parser.columnNumber)
    }

    static func describe(_ error: Error) -> String {
        let text = (error as NSError).localizedDescription
        return text.isEmpty ? "parser error \((error as NSError).code)" : text
    }
}
