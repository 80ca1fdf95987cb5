import Roster

extension SyntheticAuthority {
    /// Generates an authority of about `settings.pupils` pupils. Deterministic for a seed.
    public static func generate(_ settings: GeneratorSettings) -> SyntheticAuthority {
        var builder = AuthorityBuilder(settings: settings)
        while builder.pupilCount < settings.pupils { builder.addFamily() }
        return builder.finish()
    }
}

/// A real person of the synthetic world, before any MIS has typed them in.
struct RealPerson {
    let number: Int
    let given: String
    let family: String
    let female: Bool
    let email: String
    let mobile: String
    let address: (line: String, postcode: String)
    let relationship: Relationship
    let priority: Int
    let parentalResponsibility: Bool
}

/// One school's export while it is being built.
struct SchoolExport {
    let id: String
    let hasContactIDs: Bool
    var roster = Roster()
    /// Person number → the contact reference this school gave them (schools with contact ids only).
    var contactOfPerson: [Int: ContactReference] = [:]
}

struct AuthorityBuilder {
    let settings: GeneratorSettings
    var rng: SplitMix
    var schools: [SchoolExport]
    var personOfRecord: [String: Int] = [:]
    var people = 0
    var pupilCount = 0

    init(settings: GeneratorSettings) {
        self.settings = settings
        rng = SplitMix(state: settings.seed)
        schools = (0..<settings.schools).map { index in
            SchoolExport(id: String(5_301_000 + index), hasContactIDs: index % settings.everyNthSchoolWithoutContactIDs != 0)
        }
        if settings.keepsTruth { personOfRecord.reserveCapacity(settings.pupils * 2) }
    }

    mutating func finish() -> SyntheticAuthority {
        SyntheticAuthority(
            sources: schools.map { school in
                SyntheticAuthority.Source(
                    name: "school-\(school.id).\(school.hasContactIDs ? "csv" : "xml")",
                    hasContactIDs: school.hasContactIDs, roster: school.roster)
            },
            personOfRecord: personOfRecord, people: people)
    }

    mutating func newPerson(
        given: String, family: String, female: Bool, address: (String, String), email: String? = nil,
        relationship: Relationship, priority: Int, parentalResponsibility: Bool = true
    ) -> RealPerson {
        people += 1
        let number = people
        let local = "\(NamePools.ascii(given)).\(NamePools.ascii(family))\(number)".lowercased()
        let domain = ["example.org", "example.com", "example.net"][number % 3]
        return RealPerson(
            number: number, given: given, family: family, female: female, email: email ?? "\(local)@\(domain)",
            mobile: "7" + String(700_000_000 + number * 7 % 299_999_999), address: address,
            relationship: relationship, priority: priority, parentalResponsibility: parentalResponsibility)
    }

    mutating func newAddress() -> (String, String) {
        let letters = Array("ABCDEFGHJKLMNPRSTUWY")
        let postcode = "\(letters.randomElement(using: &rng)!)\(letters.randomElement(using: &rng)!)"
            + "\(Int.random(in: 1...30, using: &rng)) \(Int.random(in: 1...9, using: &rng))"
            + "\(letters.randomElement(using: &rng)!)\(letters.randomElement(using: &rng)!)"
        return ("\(Int.random(in: 1...240, using: &rng)) \(rng.common(NamePools.streets))", postcode)
    }

    /// A family: one to four children (sometimes twins) at one or more schools, their mother, usually
    /// their father (sometimes living apart), and sometimes a grandparent.
    mutating func addFamily() {
        let noise = settings.noise
        let family = rng.common(NamePools.family)
        let home = newAddress()
        let separated = rng.chance(noise.separated)
        let sharedEmail = !separated && rng.chance(noise.sharedFamilyEmail)
            ? "the.\(NamePools.ascii(family).lowercased())s\(people)@example.org" : nil
        var contacts: [RealPerson] = []
        contacts.append(newPerson(
            given: rng.common(NamePools.female), family: family, female: true, address: home, email: sharedEmail,
            relationship: .mother, priority: 1))
        var fatherGiven: String?
        if rng.chance(0.85) {
            let given = rng.common(NamePools.male)
            fatherGiven = given
            contacts.append(newPerson(
                given: given, family: family, female: false, address: separated ? newAddress() : home,
                email: sharedEmail, relationship: .father, priority: 2, parentalResponsibility: rng.chance(0.9)))
        }
        if let fatherGiven, !separated, rng.chance(noise.grandfatherNamesake) {
            contacts.append(newPerson(
                given: fatherGiven, family: family, female: false, address: home, relationship: .grandfather,
                priority: 3, parentalResponsibility: false))
        }
        if rng.chance(noise.grandmother) {
            contacts.append(newPerson(
                given: rng.common(NamePools.female), family: family, female: true, address: newAddress(),
                relationship: .grandmother, priority: 3, parentalResponsibility: false))
        }
        let children = [1, 1, 1, 1, 2, 2, 2, 3, 3, 4].randomElement(using: &rng)! + (rng.chance(noise.twins) ? 1 : 0)
        let firstSchool = Int.random(in: 0..<schools.count, using: &rng)
        for _ in 0..<children {
            let school = rng.chance(0.6) ? firstSchool : Int.random(in: 0..<schools.count, using: &rng)
            addPupil(at: school, family: family, contacts: contacts)
        }
    }

    mutating func addPupil(at index: Int, family: String, contacts: [RealPerson]) {
        pupilCount += 1
        let schoolID = schools[index].id
        let pupil = PupilReference(schoolID: schoolID, pupilID: "P\(pupilCount)")
        let origin = SourceLocation(file: "school-\(schoolID)", line: schools[index].roster.links.count + 2)
        schools[index].roster.pupils.append(Pupil(
            reference: pupil, origin: origin,
            name: PersonName(given: rng.common(rng.chance(0.5) ? NamePools.female : NamePools.male), family: family)))
        for (position, person) in contacts.enumerated() {
            let reference: ContactReference
            if schools[index].hasContactIDs {
                if let known = schools[index].contactOfPerson[person.number] {
                    reference = known
                } else {
                    reference = .id("C\(schools[index].contactOfPerson.count + 1)", school: schoolID)
                    schools[index].contactOfPerson[person.number] = reference
                    schools[index].roster.contacts.append(typedIn(person, reference: reference, origin: origin))
                    if settings.keepsTruth { personOfRecord[reference.description] = person.number }
                }
            } else {
                reference = .position(position + 1, of: pupil)
                schools[index].roster.contacts.append(typedIn(person, reference: reference, origin: origin))
                if settings.keepsTruth { personOfRecord[reference.description] = person.number }
            }
            schools[index].roster.links.append(ContactLink(
                pupil: pupil, contact: reference, origin: origin, relationshipRaw: person.relationship.rawValue,
                relationship: person.relationship, priority: person.priority,
                hasParentalResponsibility: TriState(person.parentalResponsibility), hasCourtOrder: .no,
                livesWithPupil: .unknown, accessWithdrawn: .no))
        }
    }
}
