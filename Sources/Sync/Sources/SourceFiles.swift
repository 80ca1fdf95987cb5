import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files a source's `path` names: a file, a folder (its files of the format's kind), or a glob.
enum SourceFiles {
    /// Matching paths, sorted so that runs read them in the same order.
    static func expand(_ path: String, extensions: Set<String>) -> [String] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, !extensions.isEmpty else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
                .map { (path as NSString).appendingPathComponent($0) }
        }
        guard path.contains(where: { "*?[".contains($0) }) else { return [] }
        return globbed(path).sorted()
    }

    private static func globbed(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { String(cString: $0) }
        }
    }
}
