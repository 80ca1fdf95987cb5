import Foundation
import PropertyBased
import Testing

@testable import Sync

/// The config loader against hostile text: the example config mutated at random (characters YAML
/// gives meaning to, NUL, tabs, non-ASCII, lines dropped, doubled, swapped, cut short). Each result must
/// be a config or a `ConfigError` whose every problem names the file; never a crash.
@Suite struct ConfigFuzzTests {
    static let example: [String] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../examples/config.yaml").standardizedFileURL.path
        return ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").components(separatedBy: "\n")
    }()

    static let alphabet: [String] = [
        ":", "-", " ", "  ", "\t", "{", "}", "[", "]", "\"", "'", "&a", "*a", "!", "!!binary", "|", ">", "#", "%", ",", "?",
        "\u{0}", "\u{7}", "é", "😀", "\r", "\n", "~", "null", "1e309", "-1", "0x1F", "<<: *a", "\u{FEFF}", "\\",
    ]

    /// Applies the mutations `operations` (each four numbers: what, where, with what, how far).
    static func mutate(_ operations: [[Int]]) -> String {
        var lines = example
        for op in operations where !lines.isEmpty {
            let line = op[1] % lines.count
            var text = Array(lines[line])
            let at = text.isEmpty ? 0 : op[3] % (text.count + 1)
            switch op[0] % 7 {
            case 0: text.insert(contentsOf: alphabet[op[2] % alphabet.count], at: at)
            case 1: if at < text.count { text.remove(at: at) }
            case 2: lines.remove(at: line); continue
            case 3: lines.insert(lines[line], at: line)
            case 4: lines.swapAt(line, op[2] % lines.count)
            case 5: text = Array(text.prefix(at))
            default: text.replaceSubrange(at..<min(text.count, at + 1), with: alphabet[op[2] % alphabet.count])
            }
            lines[line] = String(text)
        }
        return lines.joined(separator: "\n")
    }

    @Test func mutatedConfigsLoadOrAreRefusedNamingTheFile() async {
        #expect(Self.example.count > 20, "the example config was found")
        let folder = URL(fileURLWithPath: NSTemporaryDirectory())
        let operations = Gen.int(in: 0...10_000).array(of: 4).array(of: 1...6)
        await propertyCheck(count: 3_000, input: operations) { operations in
            let text = Self.mutate(operations)
            do throws(ConfigError) {
                _ = try ConfigLoader.parse(yaml: text, file: "fuzz.yaml", folder: folder)
            } catch {
                #expect(!error.problems.isEmpty)
                for problem in error.problems {
                    #expect(problem.location.file == "fuzz.yaml", "\(problem)")
                    #expect(!problem.message.isEmpty)
                }
            }
        }
    }
}
