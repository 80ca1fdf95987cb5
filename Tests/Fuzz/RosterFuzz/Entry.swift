import Foundation

#if FUZZING
/// libFuzzer's entry point (built with `swift build --sanitize fuzzer -Xswiftc -DFUZZING`, which
/// instruments every module and links libFuzzer's own `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.current.run(bytes)
    return 0
}

#else
/// Without libFuzzer: replays the files named on the command line (crash inputs kept as regressions)
/// through the target `LDAP_SYNC_FUZZ_TARGET` names, or every target with `--all`.
@main
struct Replay {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let all = arguments.first == "--all"
        if all { arguments.removeFirst() }
        for path in arguments {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(2)
            }
            for target in all ? FuzzTarget.allCases : [FuzzTarget.current] { target.run(Array(data)) }
            print("ok \(path)")
        }
    }
}
#endif
