import Roster

extension AuthorityBuilder {
    /// The person as one school's office typed them in: the noise of `NoiseSettings`, then the values
    /// normalised as a reader normalises them.
    mutating func typedIn(_ person: RealPerson, reference: ContactReference, origin: SourceLocation) -> Contact {
        let noise = settings.noise
        var given = person.given
        var family = person.family
        if rng.chance(noise.nickname), let short = NamePools.nicknames[given]?.randomElement(using: &rng) {
            given = short
        }
        if rng.chance(noise.typo) { given = NamePools.swapTwoInnerLetters(given, using: &rng) }
        if rng.chance(noise.lostAccents) {
            given = NamePools.ascii(given)
            family = NamePools.ascii(family)
        }
        if rng.chance(noise.upperCase) {
            given = given.uppercased()
            family = family.uppercased()
        }
        if rng.chance(noise.titleInForename) {
            given = (person.female ? ["Mrs", "Ms", "Miss"] : ["Mr"]).randomElement(using: &rng)! + " " + given
        }
        var emails: [EmailAddress] = []
        if !rng.chance(noise.missingEmail) {
            var email = rng.chance(noise.staleEmail) ? "old." + person.email : person.email
            if rng.chance(0.1) { email = email.capitalized }
            emails.append(EmailAddress(raw: email, normalised: EmailNormaliser.normalise(email), kind: .primary))
        }
        var phones: [PhoneNumber] = []
        if !rng.chance(noise.missingMobile) {
            let national = person.mobile
            let raw = [
                "0\(national)", "+44 \(national)", "0\(national.prefix(4)) \(national.dropFirst(4))",
                "0044 \(national)", "+44 (0)\(national.prefix(4))-\(national.dropFirst(4))",
            ].randomElement(using: &rng)!
            phones.append(PhoneNumber(raw: raw, e164: PhoneNormaliser.e164(raw), kind: .mobile))
        }
        var address: PostalAddress?
        if !rng.chance(noise.missingAddress) {
            var line = person.address.line
            if rng.chance(noise.abbreviatedStreet) {
                for (long, short) in NamePools.shortStreetWords { line = line.replacingAll(long, with: short) }
            }
            address = PostalAddress(
                lines: [line], postcode: person.address.postcode,
                normalisedPostcode: PostcodeNormaliser.normalise(person.address.postcode))
        }
        return Contact(
            reference: reference, origin: origin,
            name: PersonName(given: given, family: family), emails: emails, phones: phones, address: address)
    }
}

extension NamePools {
    /// The name without accents, as an office keyboard or an old MIS loses them.
    static func ascii(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isASCII { out.append(character); continue }
            out += plain[character] ?? ""
        }
        return out
    }

    static let plain: [Character: String] = [
        "ë": "e", "é": "e", "è": "e", "â": "a", "á": "a", "ñ": "n", "ó": "o", "Ó": "O", "ú": "u", "í": "i",
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ń": "n", "ś": "s", "ć": "c", "ż": "z", "ź": "z",
        "ą": "a", "ę": "e", "ä": "a", "ö": "o", "ü": "u",
    ]

    /// A typing slip: two neighbouring letters inside the name swapped.
    static func swapTwoInnerLetters(_ name: String, using rng: inout SplitMix) -> String {
        var letters = Array(name)
        guard letters.count >= 4 else { return name }
        let i = Int.random(in: 1..<(letters.count - 2), using: &rng)
        letters.swapAt(i, i + 1)
        return String(letters)
    }
}

extension String {
    /// Every `target` replaced, without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
