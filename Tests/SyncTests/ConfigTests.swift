import Foundation
import Roster
import Sync
import Testing

/// The example of DESIGN.md Part B, every key given.
private let fullConfig = """
directory:
  url: ldap://127.0.0.1:3389
  start_tls: false
  ca_file: /etc/ssl/certs/school-ca.pem
  bind_dn: cn=admin,dc=example,dc=org
  bind_password_file: bind.secret
  parents_base: ou=Parents,dc=example,dc=org
  pupils_base: ou=Pupils,dc=example,dc=org
  pupil_match_attribute: employeeNumber
  parent_group: cn=Parents,ou=Groups,dc=example,dc=org
  username_scope: dc=example,dc=org
  disable_method: ppolicy
  tls_verify: true
  allow_insecure: false
  timeouts: {connect: 10, operation: 60, run: 3600}
  retries: 3
sources:
  - format: csv
    path: exports/5301234.csv
    school_id: "5301234"
    preset: canonical
    school_name: Fife Primary
  - format: csv
    path: exports/other.csv
    school_id: "5301235"
    columns:
      pupil_id: Adno
      family_name: Carer Surname
  - format: ctf
    path: /srv/ctf/*.xml
policy:
  require_parental_responsibility: true
  unknown_parental_responsibility: review
  relationships: [mother, father, step-mother]
  max_priority: 2
  care_relationships: [foster-carer, kinship-carer]
  looked_after: manual
  looked_after_approvals: approvals.csv
  restrictions: restrictions.csv
  court_order_overrides: overrides.csv
  jurisdiction: wales
  review_age: 18
dedupe:
  overrides: dedupe-overrides.csv
accounts:
  username: "{given}.{family}"
  max_length: 20
  credentials_dir: credentials
  change_at_first_login: true
  activation: on_handover
  reissue_on_enable: true
  letter_template: letter.html
  login_url: https://vle.example.sch
  password_hash: crypt-sha512
  credentials_retention_days: 30
  delete_after_days: 400
safety:
  max_disable: "5%"
  max_unlink: 12
  max_delete: 0
  min_source_ratio: 0.9
  leaving_year_groups: [6, 11, 13]
state_dir: state
metrics_file: /var/lib/node_exporter/textfile/ldap-sync.prom
notify_command: /usr/local/bin/notify-dsl
vle:
  moodle:
    url: https://vle.example.sch
    token_file: moodle.token
    parent_role_id: 9
    pupil_match: idnumber
    ca_file: /etc/ssl/certs/school-ca.pem
    allow_insecure: false
"""

private let minimalConfig = """
directory:
  url: ldapi:///
  parents_base: ou=Parents,dc=example,dc=org
sources:
  - format: oneroster
    path: export.zip
"""

private let folder = URL(fileURLWithPath: "/etc/ldap-sync")

private func parse(_ yaml: String) throws(ConfigError) -> Config {
    try ConfigLoader.parse(yaml: yaml, file: "sync.yaml", folder: folder)
}

/// The problems of a config that must fail, as `line:column: message` lines.
private func problems(_ yaml: String) -> [String] {
    do {
        _ = try parse(yaml)
        Issue.record("the config was accepted")
        return []
    } catch {
        return error.problems.map { "\($0.location.line ?? 0):\($0.location.column ?? 0): \($0.message)" }
    }
}

@Suite struct ConfigTests {
    @Test func everyKeyOfTheDesignExampleIsReadWithItsMeaning() throws {
        let config = try parse(fullConfig)
        #expect(config.directory.url == "ldap://127.0.0.1:3389")
        #expect(config.directory.bindPasswordFile == "/etc/ldap-sync/bind.secret")
        #expect(config.directory.caFile == "/etc/ssl/certs/school-ca.pem")
        #expect(config.directory.parentGroup == "cn=Parents,ou=Groups,dc=example,dc=org")
        #expect(config.directory.timeouts == .init(connect: 10, operation: 60, run: 3600))
        #expect(config.sources.count == 3)
        #expect(config.sources[0].path == "/etc/ldap-sync/exports/5301234.csv")
        #expect(config.sources[0].pathAsWritten == "exports/5301234.csv")
        #expect(config.sources[0].schoolID == "5301234")
        #expect(config.sources[0].schoolName == "Fife Primary")
        #expect(config.sources[1].columns == [.pupilID: "Adno", .familyName: "Carer Surname"])
        #expect(config.sources[2].format == .ctf)
        #expect(config.sources[2].path == "/srv/ctf/*.xml")
        #expect(config.policy.unknownParentalResponsibility == .review)
        #expect(config.policy.relationships == [.mother, .father, .stepMother])
        #expect(config.policy.careRelationships == [.fosterCarer, .kinshipCarer])
        #expect(config.policy.maxPriority == 2)
        #expect(config.policy.restrictions == "/etc/ldap-sync/restrictions.csv")
        #expect(config.policy.jurisdiction == .wales)
        #expect(config.dedupe.overrides == "/etc/ldap-sync/dedupe-overrides.csv")
        #expect(config.accounts.activation == .onHandover)
        #expect(config.accounts.passwordHash == .cryptSHA512)
        #expect(config.accounts.credentialsDir == "/etc/ldap-sync/credentials")
        #expect(config.accounts.deleteAfterDays == 400)
        #expect(config.safety.maxDisable == .percent(5))
        #expect(config.safety.maxUnlink == .count(12))
        #expect(config.safety.maxDelete == .count(0))
        #expect(config.safety.leavingYearGroups == ["6", "11", "13"])
        #expect(config.stateDir == "/etc/ldap-sync/state")
        #expect(config.metricsFile == "/var/lib/node_exporter/textfile/ldap-sync.prom")
        #expect(config.notifyCommand == "/usr/local/bin/notify-dsl")
        #expect(config.vle.moodle?.parentRoleID == 9)
        #expect(config.vle.moodle?.tokenFile == "/etc/ldap-sync/moodle.token")
        #expect(config.vle.moodle?.pupilMatch == .idnumber)
    }

    @Test func keysNotGivenTakeTheirDocumentedDefaults() throws {
        let config = try parse(minimalConfig)
        #expect(config.directory.startTLS == false)
        #expect(config.directory.tlsVerify == true)
        #expect(config.directory.allowInsecure == false)
        #expect(config.directory.disableMethod == .ppolicy)
        #expect(config.directory.retries == 3)
        #expect(config.directory.timeouts == .init(connect: 10, operation: 60, run: 3600))
        #expect(config.sources.first?.preset == "canonical")
        #expect(config.policy == PolicyConfig())
        #expect(config.policy.requireParentalResponsibility)
        #expect(config.policy.unknownParentalResponsibility == .deny)
        #expect(config.policy.reviewAge == 18)
        #expect(config.accounts.username == "{given}.{family}")
        #expect(config.accounts.maxLength == 20)
        #expect(config.accounts.credentialsDir == "/etc/ldap-sync/credentials")
        #expect(config.accounts.credentialsRetentionDays == 30)
        #expect(config.safety == SafetyConfig())
        #expect(config.safety.minSourceRatio == 0.9)
        #expect(config.stateDir == "/etc/ldap-sync/state")
        #expect(config.metricsFile == nil)
        #expect(config.vle.moodle == nil)
    }

    @Test func unknownKeysAreReportedWithTheNearestKnownOneAndTheirPlace() {
        let yaml = minimalConfig.replacingOccurrences(of: "  parents_base:", with: "  parent_base:")
            + "\npolicy:\n  max_prority: 2\nsourses: []\n"
        let found = problems(yaml)
        #expect(found.count == 4)
        #expect(found.contains("2:3: directory.parents_base is required"))
        #expect(found.contains("3:3: unknown key \"directory.parent_base\"; did you mean \"parents_base\"?"))
        #expect(found.contains("8:3: unknown key \"policy.max_prority\"; did you mean \"max_priority\"?"))
        #expect(found.contains("9:1: unknown key \"sourses\"; did you mean \"sources\"?"))
    }

    @Test func badValuesAreAllReportedAtOnceWithLineAndColumn() {
        let yaml = """
        directory:
          url: http://example.org
          parents_base: ou=Parents,dc=example,dc=org
          start_tls: maybe
          disable_method: nsaccountlock
        sources:
          - format: csv
            path: a.csv
            preset: simss
            columns:
              pupil_idd: Adno
          - format: excel
            path: b.xls
        policy:
          relationships: [mother, mum]
        safety:
          max_disable: lots
        """
        let found = problems(yaml)
        #expect(found.contains("2:8: directory.url must start with ldap://, ldaps:// or ldapi://, not \"http://example.org\""))
        #expect(found.contains("4:14: directory.start_tls must be true or false, not \"maybe\""))
        #expect(found.contains { $0.hasPrefix("5:19: directory.disable_method nsaccountlock is not supported yet") })
        #expect(found.contains { $0.hasPrefix("9:13: sources[0].preset must be one of") && $0.hasSuffix("did you mean \"sims\"?") })
        #expect(found.contains("11:7: unknown key \"sources[0].columns.pupil_idd\"; did you mean \"pupil_id\"?"))
        #expect(found.contains { $0.hasPrefix("12:13: sources[1].format must be one of csv, ctf, oneroster, sds") })
        #expect(found.contains { $0.hasPrefix("15:27: policy.relationships must be one of mother, father") })
        #expect(found.contains("17:16: safety.max_disable must be a count (5) or a percentage (\"5%\"), not \"lots\""))
        #expect(found.count == 8)
    }

    @Test func yamlSyntaxErrorNamesLineAndColumn() {
        let found = problems("directory:\n  url: [ldap://x\nsources: []\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("not valid YAML") == true)
        #expect(found.first?.hasPrefix("3:") == true)
    }

    @Test func configWithoutSourcesOrDirectoryIsRefused() {
        #expect(problems("directory:\n  url: ldap://localhost\n  parents_base: o=x\n") == ["1:1: sources must list at least one MIS export"])
        #expect(problems("sources:\n  - format: csv\n    path: a.csv\n") == ["1:1: directory is required"])
    }

    @Test func presetAndColumnsAreForCSVSourcesOnly() {
        let yaml = minimalConfig + "\n    preset: sims\n"
        #expect(problems(yaml) == ["7:13: sources[0].preset is for csv sources only"])
    }

    @Test func moodleNeedsItsURLTokenFileAndRoleID() {
        let found = problems(minimalConfig + "\nvle:\n  moodle:\n    pupil_match: idnumber\n")
        #expect(found == [
            "9:5: vle.moodle.url is required",
            "9:5: vle.moodle.token_file is required",
            "9:5: vle.moodle.parent_role_id is required",
        ])
    }

    @Test func loadingFromAFileResolvesPathsAgainstItsFolderAndErrorsNameIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("sync.yaml")
        try minimalConfig.write(to: file, atomically: false, encoding: .utf8)
        let config = try ConfigLoader.load(path: file.path)
        #expect(config.sources.first?.path == dir.appendingPathComponent("export.zip").standardizedFileURL.path)
        #expect(config.file == file.path)
        do {
            _ = try ConfigLoader.load(path: dir.appendingPathComponent("absent.yaml").path)
            Issue.record("a missing config was accepted")
        } catch {
            #expect(error.problems.first?.location.file.hasSuffix("absent.yaml") == true)
            #expect(error.exitStatus == .inputError)
        }
    }
}
