/// Finds a processing instruction (`<?…?>`) that holds a byte outside ASCII, before XMLParser sees it.
///
/// libxml2 hands a processing instruction's target and data to FoundationXML as raw bytes, and
/// FoundationXML force-unwraps their decoding as UTF-8: one such instruction with bytes that are not
/// UTF-8 traps the whole process (found by fuzzing the CTF reader, kept in
/// Tests/RosterTests/FuzzRegressions/ctf). A CTF file has no processing instruction but the XML
/// declaration, which is ASCII, and `<?` cannot appear in XML text unescaped; so a file with a
/// non-ASCII byte inside one is refused as damaged rather than parsed.
struct ProcessingInstructionScan {
    private var inside = false
    private var previous: UInt8 = 0
    /// Bytes seen so far.
    private(set) var offset = 0

    /// Scans the next chunk; returns the offset (from the start of the document) of the first non-ASCII
    /// byte inside a processing instruction, if there is one.
    mutating func scan(_ chunk: some Collection<UInt8>) -> Int? {
        for byte in chunk {
            if inside {
                if byte >= 0x80 { return offset }
                if previous == UInt8(ascii: "?"), byte == UInt8(ascii: ">") { inside = false }
                previous = byte
            } else if previous == UInt8(ascii: "<"), byte == UInt8(ascii: "?") {
                inside = true
                // The "?" of "<?" does not begin the "?>" that ends it.
                previous = 0
            } else {
                previous = byte
            }
            offset += 1
        }
        return nil
    }

    /// The error for a damaged instruction at `offset` of the file `name`.
    static func error(at offset: Int, file name: String) -> RosterError {
        RosterError(
            .malformed(reason: "a processing instruction (<?…?>) holds a byte that is not ASCII, at byte \(offset): a damaged file, or not a CTF file"),
            at: SourceLocation(file: name))
    }
}
