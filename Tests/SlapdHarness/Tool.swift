import Foundation

/// What a finished command-line tool left behind.
struct ToolResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs the OpenLDAP and OpenSSL command-line tools the harness drives.
enum Tool {
    static let slapd = "/usr/sbin/slapd"
    static let ldapadd = "/usr/bin/ldapadd"
    static let ldapmodify = "/usr/bin/ldapmodify"
    static let ldapsearch = "/usr/bin/ldapsearch"
    static let ldapwhoami = "/usr/bin/ldapwhoami"
    static let openssl = "/usr/bin/openssl"

    /// Runs `executable` to its end. Input comes from a file, not a pipe: a tool that fails early
    /// would leave a pipe writer to SIGPIPE, which kills the whole test process.
    /// - Parameter ldapDefaults: false sets LDAPNOINIT so that neither /etc/ldap/ldap.conf nor
    ///   LDAP* variables of the person running the tests change what the harness does.
    static func run(
        _ executable: String, _ arguments: [String], input: URL? = nil,
        environment: [String: String] = [:], ldapDefaults: Bool = false
    ) throws -> ToolResult {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SlapdHarnessError.toolMissing(path: executable)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if !ldapDefaults { variables["LDAPNOINIT"] = "1" }
        process.environment = variables
        process.standardInput = try input.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Both pipes are drained at once: a tool that fills one while we wait on the other would hang.
        let errorText = Drained(errors.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolResult(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorText.wait(), as: UTF8.self)
        )
    }

    /// Runs `executable` and throws with its stderr unless it exits 0.
    @discardableResult
    static func check(
        _ executable: String, _ arguments: [String], input: URL? = nil
    ) throws -> String {
        let result = try run(executable, arguments, input: input)
        guard result.status == 0 else {
            throw SlapdHarnessError.toolFailed(
                tool: executable, arguments: arguments, status: result.status,
                stderr: result.standardError.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result.standardOutput
    }
}

/// A file handle read to its end on a thread of its own.
private final class Drained: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()  // written once before `done` is signalled, read after

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
