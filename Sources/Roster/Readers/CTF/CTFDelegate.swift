import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Hands `XMLParser`'s callbacks to a `CTFDocument`.
///
/// The document lives behind a pointer the delegate owns rather than in a stored property: every use
/// of a class's stored property is checked for exclusive access at run time, and a CTF of 100,000
/// pupils makes some four million callbacks. The parser calls back one at a time, and the delegate
/// calls nothing that could call it back while it uses the document.
final class CTFDelegate: NSObject, XMLParserDelegate {
    private let document: UnsafeMutablePointer<CTFDocument>

    /// The builder with everything read so far.
    var builder: RosterBuilder { document.pointee.builder }

    init(file: String, options: ReaderOptions, builder: RosterBuilder) {
        document = .allocate(capacity: 1)
        document.initialize(to: CTFDocument(file: file, options: options, builder: builder))
    }

    deinit {
        document.deinitialize(count: 1)
        document.deallocate()
    }

    func attach(to parser: XMLParser) {
        parser.delegate = self
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if !document.pointee.start(element, line: parser.lineNumber) { parser.abortParsing() }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        document.pointee.characters(string)
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        document.pointee.end(element)
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        document.pointee.parseError(parseError, line: parser.lineNumber, column: parser.columnNumber)
    }

    static func describe(_ error: Error) -> String {
        let text = (error as NSError).localizedDescription
        return text.isEmpty ? "parser error \((error as NSError).code)" : text
    }
}
