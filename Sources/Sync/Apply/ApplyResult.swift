import Directory
import Reconcile

/// A write that failed, with what the server said.
public struct WriteFailure: Sendable, Equatable {
    /// The planned change it belonged to; nil for the role group's own writes.
    public var change: Change?
    public var dn: String
    public var error: LDAPError
}

/// What an apply did.
public struct ApplyResult: Sendable {
    /// Changes written in full.
    public var applied: [Change] = []
    public var failures: [WriteFailure] = []
    /// First credentials of the accounts created, as written to the credentials file.
    public var credentials: [CredentialsRow] = []
    /// The credentials file, when accounts were created.
    public var credentialsFile: String?
    /// The printable letters beside it.
    public var lettersFile: String?
    /// True when the server went away during the apply (the run exits 4; the next run converges).
    public var connectionLost = false
    /// Changes not sent because a signal stopped the run (the next run makes them).
    public var notSent: [Change] = []
    /// The signal that stopped the run after the writes in flight, if one did.
    public var stoppedBy: Int32?
    /// Why new accounts were not created: their passwords could not have been stored.
    public var storageProblem: String?
    /// Further credentials files, when the run reconnected and created accounts on both sides.
    public var moreCredentialsFiles: [String] = []

    public init() {}
}
