import Foundation

/// The header of each CSV source, to notice an export whose columns changed since the last good run: a
/// report edited in the MIS can shift every value into the wrong field, which looks like a school of
/// parents whose details all changed at once.
enum SourceColumns {
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
            var bytes = Array(handle.readData(ofLength: 64 * 1024))
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            let line = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
            guard let text = String(validating: line, as: UTF8.self) else { continue }
            headers[source.pathAsWritten] = text.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased().filter { $0 != " " && $0 != "_" } }
                .sorted()
        }
        return headers
    }
}
