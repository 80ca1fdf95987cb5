import Foundation
import Roster
import Yams

/// Reads a config file (DESIGN.md Part B) into a `Config`: every key typed and checked, every
/// default filled in, every path resolved against the config file's folder, and every problem
/// reported at once with its line and column.
public enum ConfigLoader {
    /// Reads and checks the config at `path`.
    public static func load(path: String) throws(ConfigError) -> Config {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(problems: [.init(
                location: ConfigLocation(file: path), message: "cannot read the config file (\(error.localizedDescription))")])
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try parse(yaml: text, file: path, folder: folder)
    }

    /// Reads and checks config text; `file` names it in messages, `folder` anchors relative paths.
    public static func parse(yaml: String, file: String, folder: URL) throws(ConfigError) -> Config {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ConfigError(problems: [.init(location: ConfigLocation(file: file), message: "the config file is empty")])
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(problems: [yamlProblem(error, file: file)])
        }
        var reader = ConfigNodeReader(file: file, folder: folder)
        let config = ConfigParser.config(root, file: file, reader: &reader)
        guard reader.problems.isEmpty, let config else {
            throw ConfigError(problems: reader.problems)
        }
        return config
    }

    /// A YAML syntax error with the line and column libyaml gives.
    private static func yamlProblem(_ error: Error, file: String) -> ConfigError.Problem {
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) " } ?? ""
            return .init(
                location: ConfigLocation(file: file, line: mark.line, column: mark.column),
                message: "not valid YAML: \(detail)\(problem)")
        default:
            return .init(location: ConfigLocation(file: file), message: "not valid YAML: \(error)")
        }
    }
}
