import Foundation
import Roster

/// The hand-over list (`credentials handover --file`, DESIGN.md Part B): a UTF-8 CSV whose `username`
/// column names the parents whose letters were handed over; other columns (a sign-in sheet's name,
/// signature, date) are ignored.
public enum HandoverList {
    /// The usernames in the file, in order, without blanks or repeats.
    public static func load(_ path: String) throws(CredentialsRefusal) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CredentialsRefusal(reasons: ["\(path): cannot read the hand-over list"])
        }
        var tokenizer = CSVTokenizer(MemoryByteStream([UInt8](data)))
        var record = CSVRecord()
        var decoder = FieldDecoder()
        var usernames: [String] = []
        do {
            guard try tokenizer.next(into: &record) else { return [] }
            let titles = (0..<record.count).map { record.field($0, file: path, decoder: &decoder).lowercased().filter { !$0.isWhitespace } }
            guard let column = titles.firstIndex(of: "username") else {
                throw CredentialsRefusal(reasons: ["\(path):1: the hand-over list needs a username column"])
            }
            while try tokenizer.next(into: &record) {
                guard !record.isBlank, column < record.count else { continue }
                let name = record.field(column, file: path, decoder: &decoder).trimmingCharacters()
                if !name.isEmpty, !usernames.contains(name) { usernames.append(name) }
            }
        } catch let error as CredentialsRefusal {
            throw error
        } catch {
            throw CredentialsRefusal(reasons: ["\(path): \(error)"])
        }
        return usernames
    }
}
