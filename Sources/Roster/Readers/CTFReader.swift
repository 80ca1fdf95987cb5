import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads DfE Common Transfer Files (and Admissions Transfer Files): pupils with their nested contacts.
///
/// CTF contacts carry no id, so each is referenced by its position among its pupil's contacts
/// (`<school_id>/<pupil_id>/<n>`). The XML is parsed as a stream (libxml2 through `XMLParser`), so
/// only one pupil is held at a time besides the roster being built; the document's own encoding
/// declaration and any byte order mark are honoured by the parser.
public struct CTFReader: Sendable {
    /// What the config says about the source.
    public var options: ReaderOptions

    public init(options: ReaderOptions = ReaderOptions()) {
        self.options = options
    }

    /// Reads every file; throws every error found (up to the limit) when any file fails.
    public func read(_ files: [SourceFile]) throws(RosterErrors) -> Roster {
        var builder = RosterBuilder(errorLimit: options.errorLimit)
        for file in files where !builder.isFull {
            let location = SourceLocation(file: file.displayName)
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? nil
            guard let size, let stream = InputStream(fileAtPath: file.path) else {
                builder.record(RosterError(.unreadable(reason: "no such file, or not readable"), at: location))
                continue
            }
            guard size > 0 else {
                builder.record(RosterError(.empty, at: location))
                continue
            }
            if let damaged = Self.undecodableBytes(path: file.path, name: file.displayName) {
                builder.record(damaged)
                continue
            }
            builder = parse(XMLParser(stream: stream), name: file.displayName, builder: builder)
        }
        return try builder.finish(source: SourceLocation(file: files.first?.displayName ?? "(no file)"))
    }

    /// Reads a document held in memory as the file `name`.
    public func read(_ bytes: [UInt8], name: String) throws(RosterErrors) -> Roster {
        var builder = RosterBuilder(errorLimit: options.errorLimit)
        if bytes.isEmpty {
            builder.record(RosterError(.empty, at: SourceLocation(file: name)))
        } else {
            var check = XMLBytesCheck()
            if let offset = check.scan(bytes) ?? check.finish() {
                builder.record(XMLBytesCheck.error(at: offset, file: name))
            } else {
                builder = parse(XMLParser(data: Data(bytes)), name: name, builder: builder)
            }
        }
        return try builder.finish(source: SourceLocation(file: name))
    }

    /// The error for bytes XMLParser would crash on (see `XMLBytesCheck`), read from the file in chunks
    /// before the parser sees it.
    static func undecodableBytes(path: String, name: String) -> RosterError? {
        guard var stream = try? FileByteStream(path: path, displayName: name) else { return nil }
        var check = XMLBytesCheck()
        while let chunk = try? stream.nextChunk() {
            if let offset = check.scan(chunk) { return XMLBytesCheck.error(at: offset, file: name) }
        }
        return check.finish().map { XMLBytesCheck.error(at: $0, file: name) }
    }

        private func parse(_ parser: XMLParser, name: String, builder: RosterBuilder) -> RosterBuilder {
        let delegate = CTFDelegate(file: name, options: options, builder: builder)
        delegate.attach(to: parser)
        // External entities stay unresolved: an export has no business fetching anything.
        parser.shouldResolveExternalEntities = false
        let succeeded = parser.parse()
        var result = delegate.builder
        if !succeeded, result.errors.count == builder.errors.count {
            let error = parser.parserError.map(CTFDelegate.describe) ?? "the document could not be parsed"
            result.record(RosterError(
                .malformed(reason: "not well-formed XML: \(error)"),
                at: SourceLocation(file: name, line: parser.lineNumber, column: parser.columnNumber)))
        }
        return result
    }
}
