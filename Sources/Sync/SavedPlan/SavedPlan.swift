import Foundation
import Reconcile

/// A plan saved for review (`plan --save FILE`) and applied exactly as reviewed (`apply --plan FILE`).
public struct SavedPlan: Codable, Sendable {
    /// Bumped when the file's shape changes; older files are refused rather than misread.
    public static let currentVersion = 1

    public var version: Int
    public var createdAt: Date
    /// The config file the plan was made from.
    public var config: String
    public var sourcesFingerprint: String
    public var directoryFingerprint: String
    public var plan: Plan

    public init(createdAt: Date, config: String, sourcesFingerprint: String, directoryFingerprint: String, plan: Plan) {
        self.version = Self.currentVersion
        self.createdAt = createdAt
        self.config = config
        self.sourcesFingerprint = sourcesFingerprint
        self.directoryFingerprint = directoryFingerprint
        self.plan = plan
    }

    enum CodingKeys: String, CodingKey {
        case version, config, plan
        case createdAt = "created_at"
        case sourcesFingerprint = "sources_fingerprint"
        case directoryFingerprint = "directory_fingerprint"
    }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // A plan names parents and children: owner only.
        let data = try encoder.encode(self)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw SavedPlanError.unwritable(path: path)
        }
    }

    public static func read(from path: String) throws -> SavedPlan {
        guard let data = FileManager.default.contents(atPath: path) else { throw SavedPlanError.unreadable(path: path) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let saved: SavedPlan
        do {
            saved = try decoder.decode(SavedPlan.self, from: data)
        } catch {
            throw SavedPlanError.malformed(path: path, reason: "\(error)")
        }
        guard saved.version == currentVersion else { throw SavedPlanError.malformed(path: path, reason: "version \(saved.version) is not \(currentVersion)") }
        return saved
    }
}

/// Why a saved plan cannot be applied.
public enum SavedPlanError: Error, CustomStringConvertible, ExitStatusProviding {
    case unreadable(path: String)
    case unwritable(path: String)
    case malformed(path: String, reason: String)
    /// The sources or the directory changed since the plan was made (exit 6).
    case stale(path: String, what: String)

    public var exitStatus: ExitStatus {
        if case .stale = self { return .stalePlan }
        return .inputError
    }

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the saved plan \(path)"
        case .unwritable(let path): "cannot write the saved plan \(path)"
        case .malformed(let path, let reason): "\(path) is not a saved plan: \(reason)"
        case .stale(let path, let what):
            "the saved plan \(path) is stale: \(what) changed since it was made. Make a new plan, review it, and apply that."
        }
    }
}
