import Foundation
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
}
