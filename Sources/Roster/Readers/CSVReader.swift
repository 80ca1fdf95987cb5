/// Reads contacts CSVs: the canonical columns of DESIGN.md Part B, a vendor preset, or a `columns:`
/// map, one file after another into one roster.
public struct CSVReader: Sendable {
    /// The vendor layout the headers follow.
    public var preset: CSVPreset
    /// Field → header overrides from the config's `columns:` map; they win over the preset.
    public var columns: [CSVField: String]
    /// What the config says about the source.
    public var options: ReaderOptions

    /// Files of at least this many bytes are read in two parts at once, on two threads
    /// (`readInTwoParts`); smaller ones are not worth a thread.
    var splitMinimumBytes = 8 << 20
    /// The share of such a file the calling thread reads itself. It then replays the other part's
    /// records into the builder as they come (`recordsPerPiece`), most of them while the other thread
    /// still reads. Balanced by each thread's CPU time at a million rows, where the builder's random
    /// accesses to a million records cost more than their instructions say: 0.47 (balanced by
    /// instruction counts at 100k rows) left this thread 2.6–2.9 s against the other's 1.6–1.9 s; 0.35
    /// gives 2.3 s against 2.0 s, and a peak of 1,050 MB instead of 1,140 MB.
    var firstPartShare = 0.35
    /// How many records of the other part go to this thread at a time: it replays them while the
    /// other thread reads on.
    var recordsPerPiece = 4096
    /// A split point to use instead of choosing one (tests).
    var splitAt: Int?

    public init(preset: CSVPreset = .canonical, columns: [CSVField: String] = [:], options: ReaderOptions = ReaderOptions()) {
        self.preset = preset
        self.columns = columns
        self.options = options
    }

    /// Reads every file; throws every error found (up to the limit) when any file fails validation.
    public func read(_ files: [SourceFile]) throws(RosterErrors) -> Roster {
        var builder = RosterBuilder(errorLimit: options.errorLimit)
        for file in files where !builder.isFull {
            if readInTwoParts(file, into: &builder) != .notSplit { continue }
            do {
                // The size the stream found when it opened the file (no second look at the path).
                let stream = try FileByteStream(path: file.path, displayName: file.displayName)
                read(stream, name: file.displayName, into: &builder, fileSize: stream.sizeHint)
            } catch {
                builder.record(error)
            }
        }
        return try builder.finish(source: SourceLocation(file: files.first?.displayName ?? "(no file)"))
    }

    /// Reads bytes from any stream (a test fixture, a member of an archive) as the file `name`.
    public func read(_ stream: some ByteStream, name: String) throws(RosterErrors) -> Roster {
        var builder = RosterBuilder(errorLimit: options.errorLimit)
        read(stream, name: name, into: &builder)
        return try builder.finish(source: SourceLocation(file: name))
    }

    /// Reads one file into `builder`, recording its errors there rather than stopping at the first.
    /// - Parameter fileSize: the file's size in bytes, when known: room for the rows it holds is made
    ///   once the first row's length is known.
    public func read(_ stream: some ByteStream, name: String, into builder: inout RosterBuilder, fileSize: Int? = nil) {
        var rows: CSVRowReader?
        // A local authority's school files hold a few hundred rows each: the builder's arrays and indexes
        // grew by doubling, each time moving every contact and link (≈ 3 % of a file's reading). Room for
        // the rows the file holds at the first row's length, made before that row is added; an estimate
        // far off costs at most that growth, or `finish`'s copy of an array at its size.
        var roomMade = fileSize == nil
        CSVFileLoop.run(
            stream, name: name, into: &builder,
            accept: { headers, location throws(RosterError) in
                let layout = try CSVLayout.resolve(
                    headers: headers, preset: preset, columnMap: columns, schoolIDGiven: options.schoolID != nil,
                    location: location)
                rows = CSVRowReader(layout: layout, file: name, options: options)
            },
            row: { record, decoder, builder in
                if !roomMade, let fileSize {
                    roomMade = true
                    // The fields' bytes, a separator after each but the last, and a line end.
                    builder.reserveCapacity(records: fileSize / max(1, record.bytes.count + record.count + 1))
                }
                rows?.read(record, decoder: &decoder, into: &builder)
            })
    }
}
