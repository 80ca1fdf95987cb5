import Foundation
import Yams

/// Reads typed values out of the YAML node tree, collecting every problem with its line and column
/// instead of stopping at the first.
struct ConfigNodeReader {
    let file: String
    /// The folder of the config file: relative paths are resolved against it.
    let folder: URL
    private(set) var problems: [ConfigError.Problem] = []

    init(file: String, folder: URL) {
        self.file = file
        self.folder = folder
    }

    func location(_ node: Node?) -> ConfigLocation {
        ConfigLocation(file: file, line: node?.mark?.line, column: node?.mark?.column)
    }

    mutating func fail(_ node: Node?, _ message: String) {
        problems.append(.init(location: location(node), message: message))
    }

    /// A mapping's entries by key. Keys not in `known` are reported with the nearest known one.
    /// `nil` (reported) when the node is not a mapping.
    mutating func mapping(_ node: Node, at path: String, known: [String]) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            fail(node, "\(path) must be a mapping of keys to values")
            return nil
        }
        var entries: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                fail(keyNode, "\(path): a key must be a plain name")
                continue
            }
            let qualified = path.isEmpty ? key : "\(path).\(key)"
            guard known.contains(key) else {
                let hint = NearestName.nearest(to: key, in: known).map { "; did you mean \"\($0)\"?" } ?? ""
                fail(keyNode, "unknown key \"\(qualified)\"\(hint)")
                continue
            }
            if entries[key] != nil { fail(keyNode, "\"\(qualified)\" is given twice") }
            entries[key] = value
        }
        return entries
    }

    /// A scalar's text; `nil` (reported) when the node is a list or a mapping.
    mutating func text(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            fail(node, "\(path) must be a single value")
            return nil
        }
        return scalar.string
    }

    /// A string, or `nil` when the key is absent or blank (`~`, empty).
    mutating func string(_ node: Node?, _ path: String) -> String? {
        guard let node, let text = text(node, path) else { return nil }
        if case .scalar(let scalar) = node, scalar.style == .plain, ["", "~", "null"].contains(text) { return nil }
        return text
    }

    mutating func required(_ node: Node?, _ path: String, in parent: Node) -> String? {
        guard let value = string(node, path) else {
            fail(node ?? parent, "\(path) is required")
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node?, _ path: String, default value: Bool) -> Bool {
        guard let node, let text = string(node, path) else { return value }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            fail(node, "\(path) must be true or false, not \"\(text)\"")
            return value
        }
    }

    mutating func int(_ node: Node?, _ path: String, default value: Int, minimum: Int = 0) -> Int {
        guard let node, let text = string(node, path) else { return value }
        guard let number = Int(text), number >= minimum else {
            fail(node, "\(path) must be a whole number of at least \(minimum), not \"\(text)\"")
            return value
        }
        return number
    }

    mutating func double(_ node: Node?, _ path: String, default value: Double, range: ClosedRange<Double>) -> Double {
        guard let node, let text = string(node, path) else { return value }
        guard let number = Double(text), range.contains(number) else {
            fail(node, "\(path) must be a number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
            return value
        }
        return number
    }

    /// One of an enumeration's raw values, reported with the choices (and the nearest) otherwise.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node?, _ path: String) -> T?
    where T.RawValue == String {
        guard let node, let text = string(node, path) else { return nil }
        if let value = T(rawValue: text) { return value }
        let names = T.allCases.map(\.rawValue)
        let hint = NearestName.nearest(to: text, in: names).map { "; did you mean \"\($0)\"?" } ?? ""
        fail(node, "\(path) must be one of \(names.joined(separator: ", ")), not \"\(text)\"\(hint)")
        return nil
    }

    /// A path resolved against the config file's folder.
    mutating func path(_ node: Node?, _ path: String) -> String? {
        string(node, path).map(resolve)
    }

    func resolve(_ path: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// A list's items; a single value counts as a list of one. Absent is empty.
    mutating func list(_ node: Node?, _ path: String) -> [Node] {
        guard let node else { return [] }
        switch node {
        case .sequence(let sequence): return Array(sequence)
        case .scalar: return string(node, path) == nil ? [] : [node]
        default:
            fail(node, "\(path) must be a list")
            return []
        }
    }
}
