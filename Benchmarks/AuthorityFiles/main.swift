// bench-authority: writes a synthetic local authority (the identity issue's generator) as files that
// ldap-sync reads, for Benchmarks/run.sh.
//
//   bench-authority --pupils N --out DIR --url ldap://127.0.0.1:PORT [--seed S] [--changed-every K]
//
// DIR/exports/school-*.csv      one canonical CSV per school (every school, CTF ones included, written as CSV)
// DIR/exports-changed/...       the same exports with the e-mail of every K-th person changed (default 100: 1 %)
// DIR/pupils.ldif               the pupils' own entries (employeeNumber = UPN) for ou=Pupils
// DIR/config.yaml, bind.secret  a configuration for the examples' slapd (examples/slapd.conf.in)
// It prints one line: `pupils P records R people H`.
import Foundation
import Roster
import SyntheticAuthority

struct Options {
    var pupils = 10_000
    var out = ""
    var url = "ldap://127.0.0.1:3389"
    var seed: UInt64 = 11
    var changedEvery = 100

    init(_ arguments: [String]) {
        var rest = arguments.makeIterator()
        while let argument = rest.next() {
            let value = rest.next() ?? ""
            switch argument {
            case "--pupils": pupils = Int(value) ?? pupils
            case "--out": out = value
            case "--url": url = value
            case "--seed": seed = UInt64(value) ?? seed
            case "--changed-every": changedEvery = Int(value) ?? changedEvery
            default:
                FileHandle.standardError.write(Data("bench-authority: unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
        if out.isEmpty {
            FileHandle.standardError.write(Data("bench-authority: --out DIR is required\n".utf8))
            exit(2)
        }
    }
}

/// Buffered text output in 4 MB blocks.
struct TextFile {
    let handle: FileHandle
    var buffer = ""

    init(_ path: String) throws {
        // A file that cannot be made fails to open just below, with its path.
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    mutating func write(_ text: String) {
        buffer += text
        if buffer.utf8.count > 4 << 20 { flush() }
    }

    mutating func flush() {
        handle.write(Data(buffer.utf8))
        buffer = ""
    }

    mutating func close() throws {
        flush()
        try handle.close()
    }
}

/// A CSV field, quoted when it must be.
func field(_ value: String?) -> String {
    guard let value, !value.isEmpty else { return "" }
    if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return value
}

func yesNo(_ value: TriState) -> String {
    switch value.known {
    case true?: "Y"
    case false?: "N"
    case nil: ""
    }
}

let header = "school_id,pupil_id,upn,pupil_given_name,pupil_family_name,year_group,reg_group,contact_id,title,given_name,"
    + "family_name,relationship,priority,parental_responsibility,court_order,lives_with_pupil,email,mobile,home_phone,"
    + "work_phone,address_line1,address_line2,address_line3,town,county,postcode,date_of_birth,looked_after,"
    + "access_withdrawn,leaving_date\r\n"

func upn(_ pupil: PupilReference) -> String { "U" + pupil.schoolID + pupil.pupilID }

/// Writes one school's export; `changed` says which contact references get a new e-mail address.
func writeSchool(_ source: SyntheticAuthority.Source, to path: String, changed: (ContactReference) -> Bool) throws {
    var file = try TextFile(path)
    file.write(header)
    let pupils = source.roster.pupilsByReference
    let contacts = source.roster.contactsByReference
    for link in source.roster.links {
        guard let pupil = pupils[link.pupil], let contact = contacts[link.contact] else { continue }
        let contactID: String
        switch link.contact.key {
        case .contactID(let id): contactID = id
        case .position(let pupilID, let index): contactID = "\(pupilID)-\(index)"
        }
        var email = contact.emails.first?.raw
        if let current = email, changed(link.contact) { email = "moved." + current }
        let address = contact.address
        let row: [String?] = [
            link.pupil.schoolID, link.pupil.pupilID, upn(link.pupil), pupil.name.given, pupil.name.family, "4", "4R",
            contactID, contact.name.title, contact.name.given, contact.name.family, link.relationshipRaw,
            link.priority.map(String.init), yesNo(link.hasParentalResponsibility), yesNo(link.hasCourtOrder),
            yesNo(link.livesWithPupil), email, contact.phones.first?.raw, nil, nil,
            address?.lines.first, address.flatMap { $0.lines.count > 1 ? $0.lines[1] : nil }, nil, address?.town,
            address?.county, address?.postcode, "2016-09-14", "N", yesNo(link.accessWithdrawn), nil,
        ]
        file.write(row.map(field).joined(separator: ",") + "\r\n")
    }
    try file.close()
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let folder = options.out
for sub in ["exports", "exports-changed"] {
    try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
}
var settings = GeneratorSettings(pupils: options.pupils, schools: max(4, min(400, options.pupils / 250)), seed: options.seed)
settings.keepsTruth = true
let authority = SyntheticAuthority.generate(settings)

for source in authority.sources {
    let name = source.name.replacingOccurrences(of: ".xml", with: ".csv")
    try writeSchool(source, to: "\(folder)/exports/\(name)") { _ in false }
    try writeSchool(source, to: "\(folder)/exports-changed/\(name)") { reference in
        (authority.personOfRecord[reference.description] ?? 1) % options.changedEvery == 0
    }
}

var pupilsFile = try TextFile(folder + "/pupils.ldif")
for source in authority.sources {
    for pupil in source.roster.pupils {
        let id = upn(pupil.reference)
        pupilsFile.write("dn: uid=\(id.lowercased()),ou=Pupils,dc=example,dc=org\nobjectClass: inetOrgPerson\nuid: \(id.lowercased())\n"
            + "cn: Pupil \(id)\nsn: Pupil\nemployeeNumber: \(id)\n\n")
    }
}
try pupilsFile.close()

var config = """
    # Written by bench-authority for Benchmarks/run.sh: every school of the synthetic authority.
    directory:
      url: \(options.url)
      bind_dn: cn=ldap-sync,ou=Services,dc=example,dc=org
      bind_password_file: bind.secret
      parents_base: ou=Parents,dc=example,dc=org
      pupils_base: ou=Pupils,dc=example,dc=org
      pupil_match_attribute: employeeNumber
      parent_group: cn=Parents,ou=Groups,dc=example,dc=org
    sources:

    """
for source in authority.sources {
    let name = source.name.replacingOccurrences(of: ".xml", with: ".csv")
    config += "  - format: csv\n    path: exports/\(name)\n    preset: canonical\n    school_name: School \(name.dropFirst(7).dropLast(4))\n"
}
config += """
    policy:
      require_parental_responsibility: true
      unknown_parental_responsibility: deny
    accounts:
      username: "{given}.{family}"
      max_length: 20
      credentials_dir: credentials
      # Hashed here and sent in the add: one write per new account (the default, server, adds a
      # Password Modify and a pwdReset modify to each).
      password_hash: ssha
    safety:
      max_disable: "5%"
      max_unlink: "5%"
      min_source_ratio: 0.9
    state_dir: state

    """
try config.write(toFile: folder + "/config.yaml", atomically: false, encoding: .utf8)
try "example-sync-secret\n".write(toFile: folder + "/bind.secret", atomically: false, encoding: .utf8)
chmod(folder + "/bind.secret", 0o600)

let pupilCount = authority.sources.reduce(0) { $0 + $1.roster.pupils.count }
print("pupils \(pupilCount) records \(authority.recordCount) people \(authority.people)")
