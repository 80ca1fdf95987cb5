import Dispatch
import Reconcile
import Roster

/// Turns the people identity resolution found into the entries the directory should hold.
public enum DesiredState {
    /// The entries the people should have, as far as the sources tell: all but the usernames (from the
    /// entries they match) and the pupils' entries (from the directory). Needs nothing of the directory,
    /// so a run works it out while the directory is still being read.
    ///
    /// - Parameter twoThreadsFrom: from this many people on, two threads (tests run small inputs both ways).
    public static func people(_ parents: [Parent], twoThreadsFrom: Int = Halves.smallest) -> [DesiredParent] {
        // Through the base pointer: a person taken out of the array is a copy (a retain and a release of
        // each of their values).
        // In two halves on two threads for a local authority: each person's entry is theirs alone, and
        // building 100,000 of them (a Set, an array and strings each) is a tenth of a second of the main
        // task when resolution ends after the directory's read.
        parents.withUnsafeBufferPointer { buffer in
            let people = ReadOnly(buffer)
            return Halves.fill(buffer.count, cut: buffer.count / 2, parallel: buffer.count >= twoThreadsFrom) { range, slots in
                guard let base = people.value.baseAddress else { return () }
                for index in range { slots.put(person(base + index), at: index) }
                return ()
            }.items
        }
    }

    /// The entry the person at `parent` should have, as far as the sources tell. Each value is read where
    /// it lies: a `Parent` passed by value, or a method or computed property of the pointee, copies the
    /// whole person (a retain and a release of each of their values).
    @inline(__always)
    private static func person(_ parent: UnsafePointer<Parent>) -> DesiredParent {
        let records = parent.pointee.records
        var references = Set<String>(minimumCapacity: records.count)
        for record in records.indices { references.insert(records[record].description) }
        let (given, family) = (parent.pointee.givenName, parent.pointee.familyName)
        let (email, mobile) = (parent.pointee.email, parent.pointee.mobile)
        // The identity keys from the e-mail and mobile as the sources gave them, worked out only for
        // the few people matching asks.
        return DesiredParent(
            personID: parent.pointee.id,
            contactRefs: references,
            username: "",
            givenName: given, familyName: family, displayName: Parent.displayName(given: given, family: family),
            mail: StorableValues.mail(email), mobile: StorableValues.mobile(mobile),
            links: parent.pointee.links.map { link in
                DesiredLink(pupilRef: link.pupil.description, pupilDN: nil, eligible: link.isEligible, reasons: link.reasons, loss: LinkLoss(reasons: link.reasons))
            },
            keysFromEmail: email, mobile: mobile)
    }

    /// Each link's pupil entry (`pupilDN`), found by the pupil's UPN (or id) in the directory's pupils index.
    ///
    /// - Parameters:
    ///   - pupilMatchValues: each pupil's UPN (or id) by `<school>/<pupil>`.
    ///   - pupilDNs: the directory's pupils by that value (`CurrentDirectory.pupilDNs`).
    ///   - twoThreadsFrom: from this many people on, in two halves on two threads (each person's links are
    ///     theirs alone; tests run small inputs both ways).
    public static func findPupils(
        _ desired: inout [DesiredParent], pupilMatchValues: [String: String], pupilDNs: [String: String],
        twoThreadsFrom: Int = Halves.smallest
    ) {
        let count = desired.count
        let cut = count / 2
        let lookups = ReadOnly((pupilMatchValues, pupilDNs))
        desired.withUnsafeMutableBufferPointer { buffer in
            let people = PeopleInPlace(buffer: buffer)
            let half: @Sendable (Range<Int>) -> Void = { range in
                findPupils(of: people.buffer, in: range, pupilMatchValues: lookups.value.0, pupilDNs: lookups.value.1)
            }
            guard count >= twoThreadsFrom, cut > 0 else { return half(0..<count) }
            DispatchQueue.concurrentPerform(iterations: 2) { $0 == 0 ? half(0..<cut) : half(cut..<count) }
        }
    }

    /// The people of one half, which only its own call writes to (each person's links in place).
    private struct PeopleInPlace: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<DesiredParent>
    }

    private static func findPupils(
        of people: UnsafeMutableBufferPointer<DesiredParent>, in range: Range<Int>, pupilMatchValues: [String: String],
        pupilDNs: [String: String]
    ) {
        // People come in id order, which is their first record's: the contacts of one pupil, next to one
        // another. The last pupil's entry is kept, so that a pupil's second contact looks up nothing.
        var last: (pupil: String, dn: String?)?
        for person in range {
            for link in people[person].links.indices {
                let pupil = people[person].links[link].pupilRef
                if let last, last.pupil == pupil {
                    people[person].links[link].pupilDN = last.dn
                    continue
                }
                let dn = pupilMatchValues[pupil].flatMap { pupilDNs[$0] }
                people[person].links[link].pupilDN = dn
                last = (pupil, dn)
            }
        }
    }

    /// `desired` (from `people` and `findPupils`) matched to the entries: those with an entry take its
    /// username; those new to the directory still need one.
    ///
    /// - Parameter references: the entries' references for matching, made beforehand (nil: made here).
    public static func match(
        _ desired: consuming [DesiredParent], current: CurrentDirectory, references: ParentMatcher.EntryReferences? = nil
    ) -> Matched {
        // Matching first, so that only people new to the directory take a new username: a username is
        // never changed once given, and never handed out twice.
        // By position: no maps of person ids and DNs (one person, one id; one entry, one DN).
        let forPlanner = ParentMatcher.matchForPlanner(desired, to: current.parents, references: references)
        var needing: [Int] = []
        for index in desired.indices {
            if let entry = forPlanner.entry(ofPerson: index) {
                desired[index].username = current.parents[entry].uid
            } else if desired[index].links.contains(where: \.eligible) {
                needing.append(index)
            }
        }
        return Matched(desired: desired, needingUsernames: needing, matching: forPlanner)
    }

    /// The desired entries of a run, some still without a username.
    public struct Matched: Sendable {
        public var desired: [DesiredParent]
        /// Positions in `desired` of eligible people no entry matched: they need a new username. When
        /// there are none (a run with nobody new), the run need not read every username in the directory.
        public var needingUsernames: [Int]
        /// The people matched to the entries by position, for `Planner.plan` (usernames do not change it).
        public var matching: PlannerMatching

        /// Gives everyone new a username the directory has never used.
        public mutating func allocateUsernames(current: CurrentDirectory, allocator: inout UsernameAllocator) {
            guard !needingUsernames.isEmpty else { return }
            for parent in current.parents { allocator.keep(parent.uid) }
            for index in needingUsernames {
                desired[index].username = allocator.allocate(
                    given: desired[index].givenName, family: desired[index].familyName, email: desired[index].mail)
            }
            needingUsernames = []
        }
    }
}
