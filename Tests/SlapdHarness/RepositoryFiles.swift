import Foundation

/// Files of this repository the harness reads. It finds them from its own source path: the tests
/// always run from a checkout, and the harness must not depend on `Sync` to get at the schema.
enum RepositoryFiles {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SlapdHarness
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `schema/ldap-sync.schema`, the slapd.conf form of the misParent schema.
    static var schemaFile: URL { root.appendingPathComponent("schema/ldap-sync.schema") }
}
