/// The Moodle calls that make Moodle follow the directory, from what ldap-sync told it before. Pure.
public enum MoodlePlanner {
    /// Calls in the order they are made: those owed from an earlier run first, then the new ones; within
    /// each, suspensions, unassigns, unsuspensions, assigns (what takes access away first).
    ///
    /// - A disabled parent is suspended; one enabled again is unsuspended (only if ldap-sync suspended it).
    /// - A pair the directory grants and Moodle was not given is assigned; a pair given before that the
    ///   directory no longer grants is unassigned (with the ids it was made with).
    /// - A pair made with another `pupil_match` or role is unassigned and, if still granted, assigned
    ///   again as configured now.
    public static func calls(view: MoodleView, state: MoodleState, config: MoodleConfig) -> [MoodleCall] {
        var calls: [MoodleCall] = []
        for parent in view.parents {
            if parent.disabled, !state.suspended.contains(parent.username) {
                calls.append(MoodleCall(kind: .suspend, parent: parent.username))
            } else if !parent.disabled, state.suspended.contains(parent.username) {
                calls.append(MoodleCall(kind: .unsuspend, parent: parent.username))
            }
        }
        let granted = view.pairs
        var made = Set<MoodlePair>()
        for assignment in state.assigned {
            let sameKeys = assignment.pupilMatch == config.pupilMatch.rawValue && assignment.roleID == config.parentRoleID
            if sameKeys, granted.contains(assignment.pair) {
                made.insert(assignment.pair)
            } else {
                calls.append(MoodleCall(
                    kind: .unassign, parent: assignment.pair.parent, pupil: assignment.pair.pupil,
                    parentID: assignment.parentID, pupilID: assignment.pupilID, roleID: assignment.roleID))
            }
        }
        for pair in granted.subtracting(made) {
            calls.append(MoodleCall(kind: .assign, parent: pair.parent, pupil: pair.pupil))
        }
        let owed = Set(state.owed.map(\.key))
        return calls.sorted { lhs, rhs in
            let (a, b) = (owed.contains(lhs.key), owed.contains(rhs.key))
            return a != b ? a : lhs < rhs
        }
    }
}
