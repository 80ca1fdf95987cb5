import Foundation

/// The letters beside a credentials CSV: the same name with `.html`, mode 0600 in the same 0700 folder,
/// created once and never over an existing file.
public enum LettersFile {
    /// Writes the letters for `rows` beside `csvPath`; returns the letters' path.
    @discardableResult
    public static func write(
        _ rows: [CredentialsRow], besideCSV csvPath: String, template: LetterTemplate, names: ChildNames,
        loginURL: String?, date: Date
    ) throws -> String {
        let path = (csvPath as NSString).deletingPathExtension + ".html"
        let day = date.formatted(.dateTime.day().month(.wide).year().locale(Locale(identifier: "en_GB")))
        // The letters are made as they are written, a piece at a time: never the whole document at once.
        let letters = rows.lazy.map { LetterFields($0, names: names, loginURL: loginURL, date: day) }
        let schools = Set(letters.map(\.schoolName)).sorted().joined(separator: ", ")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try template.write(letters, title: "Parent account letters – \(schools)") { piece in
            try handle.write(contentsOf: Data(piece.utf8))
        }
        try handle.synchronize()
        return path
    }
}
