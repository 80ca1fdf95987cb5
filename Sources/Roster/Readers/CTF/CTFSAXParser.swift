import CLibXML2

/// Feeds a CTF to libxml2's SAX2 push parser a chunk at a time and hands its callbacks to a
/// `CTFDocument`, so that a large file is never held whole.
///
/// libxml2 directly rather than Foundation's `XMLParser`: that wrapper made a `String` for every
/// element name, qualified name and run of text and a dictionary for every element's attributes,
/// which cost as much as the parsing itself. Here element names stay bytes until the document wants
/// them and text is gathered as bytes.
///
/// The document lives behind a pointer handed to libxml2 as its user data; libxml2 calls back one at
/// a time on the calling thread, and nothing in a callback can call back into the parser.
enum CTFSAXParser {
    /// What the callbacks reach through libxml2's user-data pointer.
    struct State {
        var document: CTFDocument
        var context: xmlParserCtxtPtr?
        /// The first error libxml2 reported (it goes on to report the errors that follow from it).
        var errorSeen = false
        /// The document asked to stop (it is not a CTF, and said so).
        var stopped = false
    }

    /// Parses `stream` into `document` and returns it. Errors (not well-formed XML, not a CTF) are
    /// recorded in the document's builder.
    static func parse(_ stream: some ByteStream, file: String, into document: CTFDocument) -> CTFDocument {
        var stream = stream
        xmlInitParser()
        let state = UnsafeMutablePointer<State>.allocate(capacity: 1)
        state.initialize(to: State(document: document))
        defer {
            state.deinitialize(count: 1)
            state.deallocate()
        }
        var handler = saxHandler()
        var chunk: [UInt8]?
        do {
            chunk = try stream.nextChunk()
        } catch {
            state.pointee.document.builder.record(error)
            return state.pointee.document
        }
        guard let first = chunk else {
            state.pointee.document.builder.record(RosterError(.empty, at: SourceLocation(file: file)))
            return state.pointee.document
        }
        // The first bytes go in with the context, so that libxml2 sees a byte order mark or the
        // encoding declaration before anything else.
        let context = first.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                xmlCreatePushParserCtxt(&handler, state, $0.baseAddress, Int32($0.count), file)
            }
        }
        guard let context else {
            state.pointee.document.builder.record(RosterError(
                .unreadable(reason: "libxml2 could not start a parser"), at: SourceLocation(file: file)))
            return state.pointee.document
        }
        defer { xmlFreeParserCtxt(context) }
        // No network, no external entities or DTDs: an export has no business fetching anything.
        _ = xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue))
        state.pointee.context = context
        var failed = false
        while !failed, !state.pointee.errorSeen, context.pointee.disableSAX == 0 {
            do {
                chunk = try stream.nextChunk()
            } catch {
                state.pointee.document.builder.record(error)
                return state.pointee.document
            }
            guard let bytes = chunk else { break }
            failed = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { xmlParseChunk(context, $0.baseAddress, Int32($0.count), 0) != 0 }
            }
        }
        if !failed, !state.pointee.errorSeen, context.pointee.disableSAX == 0 {
            failed = xmlParseChunk(context, nil, 0, 1) != 0
        }
        if failed || context.pointee.wellFormed == 0, !state.pointee.errorSeen, !state.pointee.stopped {
            state.pointee.document.builder.record(RosterError(
                .malformed(reason: "not well-formed XML: the document could not be parsed"),
                at: SourceLocation(file: file, line: Int(xmlSAX2GetLineNumber(context)),
                                   column: Int(xmlSAX2GetColumnNumber(context)))))
        }
        return state.pointee.document
    }

    /// The callbacks the reader needs and no others: libxml2's defaults would build a tree.
    private static func saxHandler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { user, localName, _, _, _, _, _, _, _ in
            guard let user, let localName else { return }
            let state = user.assumingMemoryBound(to: State.self)
            guard let context = state.pointee.context else { return }
            if !state.pointee.document.start(localName, line: Int(xmlSAX2GetLineNumber(context))) {
                state.pointee.stopped = true
                xmlStopParser(context)
            }
        }
        handler.endElementNs = { user, _, _, _ in
            guard let user else { return }
            user.assumingMemoryBound(to: State.self).pointee.document.end()
        }
        let characters: charactersSAXFunc = { user, bytes, count in
            guard let user, let bytes, count > 0 else { return }
            user.assumingMemoryBound(to: State.self).pointee.document.characters(
                UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        handler.characters = characters
        // Outside a DTD every blank run is ordinary text; CDATA is text too.
        handler.ignorableWhitespace = characters
        handler.cdataBlock = characters
        handler.serror = { user, error in
            guard let user, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let state = user.assumingMemoryBound(to: State.self)
            guard !state.pointee.errorSeen else { return }
            state.pointee.errorSeen = true
            let message = error.pointee.message.map { String(cString: $0) } ?? ""
            state.pointee.document.parseError(
                message.trimmingWhitespace(), line: Int(error.pointee.line), column: Int(error.pointee.int2))
            if let context = state.pointee.context { xmlStopParser(context) }
        }
        return handler
    }
}
