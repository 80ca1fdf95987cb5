import Reconcile
import Roster

/// Turns the people identity resolution found into the entries the directory should hold.
public enum DesiredState {
    /// The entries the people should have, as far as the sources tell: all but the usernames (from the
    /// entries they match) and the pupils' entries (from the directory). Needs nothing of the directory,
    /// so a run works it out while the directory is still being read.
    public static func people(_ parents: [Parent]) -> [DesiredParent] {
        // Through the base pointer: a person taken out of the array is a copy (a retain and a release of
        // each of their values).
        parents.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return [] }
            return buffer.indices.map { index in person(base[index]) }
        }
    }

    /// The entry `parent` should have, as far as the sources tell.
    @inline(__always)
    private static func person(_ parent: borrowing Parent) -> DesiredParent {
        // The identity keys from the e-mail and mobile as the sources gave them, worked out only for
        // the few people matching asks.
        DesiredParent(
            personID: parent.id,
            contactRefs: Set(parent.records.map(\.description)),
            username: "",
            givenName: parent.givenName, familyName: parent.familyName, displayName: parent.displayName,
            mail: StorableValues.mail(parent.email), mobile: StorableValues.mobile(parent.mobile),
            links: parent.links.map { link in
                DesiredLink(pupilRef: link.pupil.description, pupilDN: nil, eligible: link.isEligible, reasons: link.reasons, loss: LinkLoss(reasons: link.reasons))
            },
            keysFromEmail: parent.email, mobile: parent.mobile)
    }

    /// Each link's pupil entry (`pupilDN`), found by the pupil's UPN (or id) in the directory's pupils index.
    ///
    /// - Parameters:
    ///   - pupilMatchValues: each pupil's UPN (or id) by `<school>/<pupil>`.
    ///   - pupilDNs: the directory's pupils by that value (`CurrentDirectory.pupilDNs`).
    public static func findPupils(_ desired: inout [DesiredParent], pupilMatchValues: [String: String], pupilDNs: [String: String]) {
        for person in desired.indices {
            for link in desired[person].links.indices {
                desired[person].links[link].pupilDN = pupilMatchValues[desired[person].links[link].pupilRef].flatMap { pupilDNs[$0] }
            }
        }
    }

    /// `desired` (from `people` and `findPupils`) matched to the entries: those with an entry take its
    /// username; those new to the directory still need one.
    public static func match(_ desired: consuming [DesiredParent], current: CurrentDirectory) -> Matched {
        // Matching first, so that only people new to the directory take a new username: a username is
        // never changed once given, and never handed out twice.
        // By position: no maps of person ids and DNs (one person, one id; one entry, one DN).
        let forPlanner = ParentMatcher.matchForPlanner(desired, to: current.parents)
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
