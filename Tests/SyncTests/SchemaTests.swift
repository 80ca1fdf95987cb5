import Foundation
@testable import SlapdHarness
import Sync
import Testing

/// `schema/` in the repository is what operators load; `ParentSchema` is what `ldap-sync schema`
/// prints. They must never drift apart.
@Suite struct SchemaTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SyncTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static func bytes(of relativePath: String) throws -> Data {
        try Data(contentsOf: repositoryRoot.appendingPathComponent(relativePath))
    }

    @Test func slapdSchemaFileEqualsTheStringTheCommandPrints() throws {
        #expect(try Self.bytes(of: "schema/ldap-sync.schema") == Data(ParentSchema.slapdSchema.utf8))
    }

    @Test func ldifFileEqualsTheStringTheCommandPrints() throws {
        #expect(try Self.bytes(of: "schema/ldap-sync.ldif") == Data(ParentSchema.ldif.utf8))
    }

    @Test func bothFormsDefineTheSameAttributesAndClass() {
        let names = [
            "misParentId", "misContactRef", "misChildRef", "misChild", "misRole",
            "misAccountStatus", "misStatusReason", "misStatusSince", "misParent",
        ]
        for format in ParentSchema.Format.allCases {
            let text = ParentSchema.text(format)
            for name in names {
                #expect(text.contains("NAME '\(name)'"), "\(format) lacks \(name)")
            }
        }
    }

    /// The slapd.conf form loads in every SlapdHarness test; this loads the cn=config form the way
    /// a new server's configuration is built (`slapadd -n0`), and checks slapd kept the class.
    @Test func ldifFormLoadsIntoCnConfig() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("slapd.d"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = folder.appendingPathComponent("config.ldif")
        try Data("""
            dn: cn=config
            objectClass: olcGlobal
            cn: config

            dn: cn=schema,cn=config
            objectClass: olcSchemaConfig
            cn: schema

            include: file:///etc/ldap/schema/core.ldif
            include: file:///etc/ldap/schema/cosine.ldif
            include: file:///etc/ldap/schema/inetorgperson.ldif
            include: file://\(Self.repositoryRoot.path)/schema/ldap-sync.ldif

            dn: olcDatabase={0}config,cn=config
            objectClass: olcDatabaseConfig
            olcDatabase: {0}config

            """.utf8).write(to: configuration)
        let loaded = try Tool.run(
            "/usr/sbin/slapadd", ["-n0", "-F", folder.appendingPathComponent("slapd.d").path, "-l", configuration.path])
        #expect(loaded.status == 0, "\(loaded.standardError)")
        let stored = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("slapd.d/cn=config/cn=schema").path)
        let entry = try #require(stored.first { $0.hasSuffix("ldap-sync.ldif") })
        let text = try String(
            contentsOf: folder.appendingPathComponent("slapd.d/cn=config/cn=schema/\(entry)"), encoding: .utf8)
        #expect(text.contains("NAME 'misParent'"))
    }
}
