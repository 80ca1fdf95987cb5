import Foundation
import Roster
import Yams

/// The keys of DESIGN.md Part B, section by section.
enum ConfigParser {
    static let topKeys = [
        "directory", "sources", "policy", "dedupe", "accounts", "safety", "state_dir", "metrics_file", "notify_command", "vle",
    ]

    static func config(_ root: Node, file: String, reader: inout ConfigNodeReader) -> Config? {
        guard let top = reader.mapping(root, at: "", known: topKeys) else { return nil }
        guard let directoryNode = top["directory"] else {
            reader.fail(root, "directory is required")
            return nil
        }
        let directory = directoryConfig(directoryNode, &reader)
        let sourceNodes = reader.list(top["sources"], "sources")
        if sourceNodes.isEmpty { reader.fail(top["sources"] ?? root, "sources must list at least one MIS export") }
        let sources = sourceNodes.enumerated().compactMap { sourceConfig($1, index: $0, &reader) }
        var dedupe = DedupeConfig()
        if let node = top["dedupe"], let map = reader.mapping(node, at: "dedupe", known: ["overrides"]) {
            dedupe.overrides = reader.path(map["overrides"], "dedupe.overrides")
        }
        // Every section is read, even when an earlier one failed, so that one run shows every problem.
        let policy = top["policy"].map { policyConfig($0, &reader) } ?? PolicyConfig()
        let accounts = accountsConfig(top["accounts"], &reader)
        let safety = top["safety"].map { safetyConfig($0, &reader) } ?? SafetyConfig()
        let stateDir = reader.path(top["state_dir"], "state_dir") ?? reader.resolve("state")
        let metricsFile = reader.path(top["metrics_file"], "metrics_file")
        let notifyCommand = reader.path(top["notify_command"], "notify_command")
        let vle = top["vle"].map { vleConfig($0, &reader) } ?? VLEConfig()
        guard let directory else { return nil }
        return Config(
            file: file, directory: directory, sources: sources, policy: policy, dedupe: dedupe, accounts: accounts,
            safety: safety, stateDir: stateDir, metricsFile: metricsFile, notifyCommand: notifyCommand, vle: vle)
    }

    static func directoryConfig(_ node: Node, _ reader: inout ConfigNodeReader) -> DirectoryConfig? {
        let known = [
            "url", "start_tls", "ca_file", "bind_dn", "bind_password_file", "parents_base", "pupils_base",
            "pupil_match_attribute", "parent_group", "username_scope", "disable_method", "tls_verify", "allow_insecure",
            "timeouts", "retries", "incremental_read",
        ]
        guard let map = reader.mapping(node, at: "directory", known: known) else { return nil }
        let url = reader.required(map["url"], "directory.url", in: node)
        if let url, let urlNode = map["url"], !["ldap://", "ldaps://", "ldapi://"].contains(where: url.lowercased().hasPrefix) {
            reader.fail(urlNode, "directory.url must start with ldap://, ldaps:// or ldapi://, not \"\(url)\"")
        }
        let parentsBase = reader.required(map["parents_base"], "directory.parents_base", in: node)
        var directory = DirectoryConfig(url: url ?? "", parentsBase: parentsBase ?? "")
        directory.startTLS = reader.bool(map["start_tls"], "directory.start_tls", default: false)
        directory.caFile = reader.path(map["ca_file"], "directory.ca_file")
        directory.bindDN = reader.string(map["bind_dn"], "directory.bind_dn")
        directory.bindPasswordFile = reader.path(map["bind_password_file"], "directory.bind_password_file")
        directory.pupilsBase = reader.string(map["pupils_base"], "directory.pupils_base")
        directory.pupilMatchAttribute = reader.string(map["pupil_match_attribute"], "directory.pupil_match_attribute")
        directory.parentGroup = reader.string(map["parent_group"], "directory.parent_group")
        directory.usernameScope = reader.string(map["username_scope"], "directory.username_scope")
        if let method: DirectoryConfig.DisableMethod = reader.choice(map["disable_method"], "directory.disable_method") {
            if method != .ppolicy {
                // DESIGN.md Part A: until 389 DS and AD have tested support, an untested lock is no lock.
                reader.fail(map["disable_method"], "directory.disable_method \(method.rawValue) is not supported yet "
                    + "(only ppolicy is tested, and an untested lock is no lock)")
            }
            directory.disableMethod = method
        }
        directory.tlsVerify = reader.bool(map["tls_verify"], "directory.tls_verify", default: true)
        directory.allowInsecure = reader.bool(map["allow_insecure"], "directory.allow_insecure", default: false)
        if let timeouts = map["timeouts"],
            let times = reader.mapping(timeouts, at: "directory.timeouts", known: ["connect", "operation", "run"])
        {
            directory.timeouts.connect = reader.int(times["connect"], "directory.timeouts.connect", default: 10, minimum: 1)
            directory.timeouts.operation = reader.int(times["operation"], "directory.timeouts.operation", default: 60, minimum: 1)
            directory.timeouts.run = reader.int(times["run"], "directory.timeouts.run", default: 3600, minimum: 1)
        }
        directory.retries = reader.int(map["retries"], "directory.retries", default: 3)
        directory.incrementalRead = reader.bool(map["incremental_read"], "directory.incremental_read", default: true)
        return url == nil || parentsBase == nil ? nil : directory
    }

    static func sourceConfig(_ node: Node, index: Int, _ reader: inout ConfigNodeReader) -> SourceConfig? {
        let path = "sources[\(index)]"
        let known = ["format", "path", "school_id", "preset", "columns", "school_name"]
        guard let map = reader.mapping(node, at: path, known: known) else { return nil }
        let format: SourceConfig.Format? = reader.choice(map["format"], "\(path).format")
        if map["format"] == nil { reader.fail(node, "\(path).format is required") }
        guard let written = reader.required(map["path"], "\(path).path", in: node), let format else { return nil }
        var source = SourceConfig(
            format: format, path: reader.resolve(written), pathAsWritten: written, location: reader.location(node))
        source.schoolID = reader.string(map["school_id"], "\(path).school_id")
        source.schoolName = reader.string(map["school_name"], "\(path).school_name")
        if let presetNode = map["preset"], let preset = reader.string(presetNode, "\(path).preset") {
            if format != .csv {
                reader.fail(presetNode, "\(path).preset is for csv sources only")
            } else if CSVPreset.all[preset] == nil {
                let names = CSVPreset.all.keys.sorted()
                let hint = NearestName.nearest(to: preset, in: names).map { "; did you mean \"\($0)\"?" } ?? ""
                reader.fail(presetNode, "\(path).preset must be one of \(names.joined(separator: ", ")), not \"\(preset)\"\(hint)")
            } else {
                source.preset = preset
            }
        }
        if let columnsNode = map["columns"] {
            if format != .csv { reader.fail(columnsNode, "\(path).columns is for csv sources only") }
            let fields = CSVField.allCases.map(\.rawValue)
            if let columns = reader.mapping(columnsNode, at: "\(path).columns", known: fields) {
                for (field, header) in columns {
                    if let name = reader.string(header, "\(path).columns.\(field)"), let key = CSVField(rawValue: field) {
                        source.columns[key] = name
                    }
                }
            }
        }
        return source
    }

    static func policyConfig(_ node: Node, _ reader: inout ConfigNodeReader) -> PolicyConfig {
        let known = [
            "require_parental_responsibility", "unknown_parental_responsibility", "relationships", "max_priority",
            "care_relationships", "looked_after", "looked_after_approvals", "restrictions", "court_order_overrides",
            "jurisdiction", "review_age",
        ]
        var policy = PolicyConfig()
        guard let map = reader.mapping(node, at: "policy", known: known) else { return policy }
        policy.requireParentalResponsibility = reader.bool(
            map["require_parental_responsibility"], "policy.require_parental_responsibility", default: true)
        policy.unknownParentalResponsibility = reader.choice(
            map["unknown_parental_responsibility"], "policy.unknown_parental_responsibility") ?? .deny
        policy.relationships = relationships(map["relationships"], "policy.relationships", &reader)
        policy.maxPriority = reader.int(map["max_priority"], "policy.max_priority", default: 0)
        policy.careRelationships = relationships(map["care_relationships"], "policy.care_relationships", &reader)
        policy.lookedAfter = reader.choice(map["looked_after"], "policy.looked_after") ?? .manual
        policy.lookedAfterApprovals = reader.path(map["looked_after_approvals"], "policy.looked_after_approvals")
        policy.restrictions = reader.path(map["restrictions"], "policy.restrictions")
        policy.courtOrderOverrides = reader.path(map["court_order_overrides"], "policy.court_order_overrides")
        policy.jurisdiction = reader.choice(map["jurisdiction"], "policy.jurisdiction")
        policy.reviewAge = reader.int(map["review_age"], "policy.review_age", default: 18)
        return policy
    }

    private static func relationships(_ node: Node?, _ path: String, _ reader: inout ConfigNodeReader) -> [Relationship] {
        reader.list(node, path).compactMap { reader.choice($0, path) }
    }

    static func accountsConfig(_ node: Node?, _ reader: inout ConfigNodeReader) -> AccountsConfig {
        var accounts = AccountsConfig(credentialsDir: reader.resolve("credentials"))
        let known = [
            "username", "max_length", "credentials_dir", "change_at_first_login", "activation", "reissue_on_enable",
            "letter_template", "login_url", "password_hash", "credentials_retention_days", "delete_after_days",
        ]
        guard let node, let map = reader.mapping(node, at: "accounts", known: known) else { return accounts }
        accounts.username = reader.string(map["username"], "accounts.username") ?? accounts.username
        accounts.maxLength = reader.int(map["max_length"], "accounts.max_length", default: 20, minimum: 1)
        accounts.credentialsDir = reader.path(map["credentials_dir"], "accounts.credentials_dir") ?? accounts.credentialsDir
        accounts.changeAtFirstLogin = reader.bool(map["change_at_first_login"], "accounts.change_at_first_login", default: true)
        accounts.activation = reader.choice(map["activation"], "accounts.activation") ?? .onCreate
        accounts.reissueOnEnable = reader.bool(map["reissue_on_enable"], "accounts.reissue_on_enable", default: true)
        accounts.letterTemplate = reader.path(map["letter_template"], "accounts.letter_template")
        accounts.loginURL = reader.string(map["login_url"], "accounts.login_url")
        accounts.passwordHash = reader.choice(map["password_hash"], "accounts.password_hash") ?? .server
        accounts.credentialsRetentionDays = reader.int(
            map["credentials_retention_days"], "accounts.credentials_retention_days", default: 30)
        accounts.deleteAfterDays = reader.int(map["delete_after_days"], "accounts.delete_after_days", default: 0)
        return accounts
    }

    static func safetyConfig(_ node: Node, _ reader: inout ConfigNodeReader) -> SafetyConfig {
        var safety = SafetyConfig()
        let known = ["max_disable", "max_unlink", "max_delete", "min_source_ratio", "leaving_year_groups"]
        guard let map = reader.mapping(node, at: "safety", known: known) else { return safety }
        safety.maxDisable = limit(map["max_disable"], "safety.max_disable", &reader) ?? safety.maxDisable
        safety.maxUnlink = limit(map["max_unlink"], "safety.max_unlink", &reader) ?? safety.maxUnlink
        safety.maxDelete = limit(map["max_delete"], "safety.max_delete", &reader) ?? safety.maxDelete
        safety.minSourceRatio = reader.double(map["min_source_ratio"], "safety.min_source_ratio", default: 0.9, range: 0...1)
        if map["leaving_year_groups"] != nil {
            safety.leavingYearGroups = reader.list(map["leaving_year_groups"], "safety.leaving_year_groups")
                .compactMap { reader.string($0, "safety.leaving_year_groups") }
        }
        return safety
    }

    /// `5`, or `"5%"`.
    private static func limit(_ node: Node?, _ path: String, _ reader: inout ConfigNodeReader) -> SafetyConfig.Limit? {
        guard let node, let text = reader.string(node, path)?.trimmingCharacters(in: .whitespaces) else { return nil }
        if text.hasSuffix("%"), let percent = Double(text.dropLast().trimmingCharacters(in: .whitespaces)),
            (0...100).contains(percent)
        {
            return .percent(percent)
        }
        if let count = Int(text), count >= 0 { return .count(count) }
        reader.fail(node, "\(path) must be a count (5) or a percentage (\"5%\"), not \"\(text)\"")
        return nil
    }

    static func vleConfig(_ node: Node, _ reader: inout ConfigNodeReader) -> VLEConfig {
        guard let map = reader.mapping(node, at: "vle", known: ["moodle"]), let moodleNode = map["moodle"] else {
            return VLEConfig()
        }
        let known = ["url", "token_file", "parent_role_id", "pupil_match", "ca_file", "allow_insecure"]
        guard let moodle = reader.mapping(moodleNode, at: "vle.moodle", known: known) else { return VLEConfig() }
        let url = reader.required(moodle["url"], "vle.moodle.url", in: moodleNode)
        let tokenFile = reader.required(moodle["token_file"], "vle.moodle.token_file", in: moodleNode).map(reader.resolve)
        if moodle["parent_role_id"] == nil { reader.fail(moodleNode, "vle.moodle.parent_role_id is required") }
        let roleID = reader.int(moodle["parent_role_id"], "vle.moodle.parent_role_id", default: 0, minimum: 1)
        guard let url, let tokenFile else { return VLEConfig() }
        var config = MoodleConfig(url: url, tokenFile: tokenFile, parentRoleID: roleID)
        config.pupilMatch = reader.choice(moodle["pupil_match"], "vle.moodle.pupil_match") ?? .idnumber
        config.caFile = reader.path(moodle["ca_file"], "vle.moodle.ca_file")
        config.allowInsecure = reader.bool(moodle["allow_insecure"], "vle.moodle.allow_insecure", default: false)
        return VLEConfig(moodle: config)
    }
}
