import Foundation

/// Runs the built `ldap-sync` executable the way IT staff do, for tests of the command line itself:
/// arguments in, exit status and the two output streams back.
struct CommandLineRun {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

enum CommandLineRunner {
    /// The `ldap-sync` binary built beside this test bundle (same build folder).
    static var executable: URL {
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBundle.deletingLastPathComponent()
        // The runner may be `…/debug/ldap-syncPackageTests.xctest` (a file) or live inside such a folder.
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("ldap-sync").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("ldap-sync")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> CommandLineRun {
        try run(at: executable.path, arguments, environment: environment, input: input)
    }

    /// Any program, the same way (`script`, to give ldap-sync a terminal).
    static func run(at program: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> CommandLineRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let standardInput = Pipe()
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        // Read both to the end before waiting, so a large output cannot fill a pipe and stall the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandLineRun(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }
}
