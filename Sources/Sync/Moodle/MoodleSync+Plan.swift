import Directory

extension MoodleSync {
    /// The calls a run would make once `prepared`'s plan is written (for `plan`): the directory as read
    /// with the plan's changes laid over it, against what Moodle was told before. Makes no call to Moodle.
    public func planned(_ prepared: PreparedRun, connection: LDAPConnection, directory: Config) async throws -> MoodlePlanSection {
        let reader = MoodleDirectoryReader(directory, pupilMatch: config.pupilMatch)
        let entries = MoodleView.entries(prepared.snapshot.managedParents, after: prepared.plan.changes)
        let view = MoodleView.build(parents: entries, pupilKeys: try await reader.pupilKeys(connection))
        let state = try MoodleState.load(stateDirectory: stateDirectory)
        let calls = MoodlePlanner.calls(view: view, state: state, config: config)
        let owed = Set(state.owed.map(\.key))
        return MoodlePlanSection(calls: calls, owed: calls.filter { owed.contains($0.key) }.count)
    }
}
