import Foundation

/// The header of each CSV source, to notice an export whose columns changed since the last good run: a
/// report edited in the MIS can shift every value into the wrong field, which looks like a school of
/// parents whose details all changed at once.
enum SourceColumns {
    /// The most of a file read to find its header line.
    static let headerLimit = 64 * 1024

    /// The header names of the first file of each CSV source, by the source's path as written, normalised
    /// as header matching is (case, spaces and underscores ignored) and sorted. Sources whose header cannot
    /// be read here (not CSV, not UTF-8) are left out: no gate is better than a wrong one.
    static func headers(_ sources: [SourceConfig]) -> [String: [String]] {
        var headers: [String: [String]] = [:]
        for source in sources where source.format == .csv {
            guard let file = SourceFiles.expand(source.path, extensions: ["csv", "txt"]).first,
                let handle = FileHandle(forReadingAtPath: file)
            else { continue }
            defer { try? handle.close() }
            var bytes = firstLine(handle)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            let line = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
            guard let text = String(validating: line, as: UTF8.self) else { continue }
            headers[source.pathAsWritten] = text.split(separator: ",", omittingEmptySubsequences: false)
                .map(normalised).sorted()
        }
        return headers
    }

    /// The file's bytes up to its first line end (or to `headerLimit`), and perhaps a few after. Read in
    /// 4 KB steps: a local authority's run asks this of 400 files, and reading 64 KB of each (copied a
    /// byte at a time out of a `Data`) cost more than the rest of this.
    private static func firstLine(_ handle: FileHandle) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < headerLimit {
            let data = handle.readData(ofLength: min(4096, headerLimit - bytes.count))
            if data.isEmpty { break }
            let start = bytes.count
            data.withUnsafeBytes { bytes.append(contentsOf: $0.bindMemory(to: UInt8.self)) }
            if bytes[start...].contains(where: { $0 == 0x0A || $0 == 0x0D }) { break }
        }
        return bytes
    }

    /// A header name as the gate compares it: without surrounding quotes and spaces, lower-cased, without
    /// spaces and underscores.
    static func normalised(_ header: Substring) -> String {
        asciiNormalised(header) ?? normalisedByCharacters(header)
    }

    /// `normalised` by `Character`s, for any header: the form the ASCII answer is tested against.
    static func normalisedByCharacters(_ header: Substring) -> String {
        header.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased().filter { $0 != " " && $0 != "_" }
    }

    /// `normalised` of an ASCII header, from its bytes; `nil` when a byte is not ASCII.
    static func asciiNormalised(_ header: Substring) -> String? {
        var header = header
        return header.withUTF8 { bytes -> String? in
            var start = 0
            var end = bytes.count
            while start < end, bytes[start] == 0x22 || bytes[start] == 0x20 { start += 1 }
            while end > start, bytes[end - 1] == 0x22 || bytes[end - 1] == 0x20 { end -= 1 }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, end - start)) { key -> String? in
                var count = 0
                for byte in bytes[start..<end] {
                    if byte >= 0x80 { return nil }
                    if byte == 0x20 || byte == UInt8(ascii: "_") { continue }
                    key[count] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                    count += 1
                }
                return String(decoding: UnsafeBufferPointer(rebasing: key[0..<count]), as: UTF8.self)
            }
        }
    }
}
