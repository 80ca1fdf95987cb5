import Foundation

/// Reads DfE Common Transfer Files (and Admissions Transfer Files): pupils with their nested contacts.
///
/// CTF contacts carry no id, so each is referenced by its position among its pupil's contacts
/// (`<school_id>/<pupil_id>/<n>`). The XML is parsed as a stream (libxml2's SAX2 push parser, see
/// `CTFSAXParser`), so only one pupil is held at a time besides the roster being built; the
/// document's own encoding declaration and any byte order mark are honoured by the parser.
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
            do {
                let stream = try FileByteStream(path: file.path, displayName: file.displayName)
                builder = parse(stream, name: file.displayName, builder: builder)
            } catch {
                builder.record(error)
            }
        }
        return try builder.finish(source: SourceLocation(file: files.first?.displayName ?? "(no file)"))
    }

    /// Reads a document held in memory as the file `name`.
    public func read(_ bytes: [UInt8], name: String) throws(RosterErrors) -> Roster {
        let builder = parse(MemoryByteStream(bytes), name: name, builder: RosterBuilder(errorLimit: options.errorLimit))
        return try builder.finish(source: SourceLocation(file: name))
    }

    private func parse(_ stream: some ByteStream, name: String, builder: RosterBuilder) -> RosterBuilder {
        CTFSAXParser.parse(stream, file: name, into: CTFDocument(file: name, options: options, builder: builder)).builder
    }
}
