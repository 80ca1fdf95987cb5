import CLDAP
import Foundation

/// What became of an RFC 5805 transaction: all of it, or none of it.
public enum TransactionOutcome: Sendable, Equatable {
    case committed
    /// The server aborted the transaction; nothing in it was applied. `failedIndex` is the operation the
    /// server blamed, when it said.
    case aborted(LDAPError, failedIndex: Int?)
}

extension LDAPConnection {
    /// The Start Transaction extended operation's OID; the root DSE lists it where transactions work.
    public static let startTransactionOID = "1.3.6.1.1.21.1"

    /// Whether the server offers LDAP transactions (RFC 5805), read from the root DSE.
    public func supportsTransactions() async throws -> Bool {
        let rootDSE = try await searchAll(
            SearchRequest(base: "", scope: .base, filter: .present("objectClass"), attributes: ["supportedExtension"], pageSize: 0))
        return rootDSE.first?.strings("supportedExtension").contains(Self.startTransactionOID) ?? false
    }

    /// Runs `operations` as one transaction: the server applies all of them or none.
    ///
    /// With mdb and fsync, each commit costs a disk flush; a transaction of about a thousand writes costs
    /// one, which is what makes a first run of 100,000 accounts fast. One failing write aborts the whole
    /// transaction, so a caller that gets `.aborted` retries the writes without one to find and report the
    /// bad write. Password Modify is not sent inside a transaction (slapd's support for extended operations
    /// there is not established): set passwords after the commit.
    public func runTransaction(_ operations: [WriteOperation]) async throws -> TransactionOutcome {
        precondition(!operations.contains { if case .passwordModify = $0 { true } else { false } },
                     "Password Modify is not sent inside a transaction")
        return try await withHandle("transaction") { ld in
            var transactionID: UnsafeMutablePointer<berval>?
            var rc = ldap_txn_start_s(ld, nil, nil, &transactionID)
            guard rc == LDAP_SUCCESS, let transactionID else {
                throw self.lastError(ld, operation: "start transaction", code: rc)
            }
            defer { ber_bvfree(transactionID) }

            var specification: UnsafeMutablePointer<LDAPControl>?
            // LDAP_CONTROL_TXN_SPEC is a concatenated macro Swift does not import.
            rc = ldap_control_create("1.3.6.1.1.21.2", 1, transactionID, 1, &specification)
            guard rc == LDAP_SUCCESS, let specification else { throw self.lastError(ld, operation: "transaction control", code: rc) }
            defer { ldap_control_free(specification) }
            var controls: [UnsafeMutablePointer<LDAPControl>?] = [specification, nil]

            var indexOfMessage: [Int32: Int] = [:]
            var sendFailure: (error: LDAPError, index: Int)?
            for (index, operation) in operations.enumerated() {
                var messageID: Int32 = 0
                rc = controls.withUnsafeMutableBufferPointer { operation.send(ld, &messageID, controls: $0.baseAddress) }
                guard rc == LDAP_SUCCESS else {
                    sendFailure = (self.lastError(ld, operation: operation.name, code: rc, dn: operation.dn), index)
                    break
                }
                indexOfMessage[messageID] = index
                // slapd answers each write of a transaction as it queues it; a refusal here means the
                // write will not be part of the transaction, so the whole batch must not commit.
                let message = try self.awaitResult(ld, messageID: messageID, operation: operation.name, dn: operation.dn)
                let result = self.parseResult(ld, message)
                guard result.code == .success else {
                    sendFailure = (LDAPError(operation: operation.name, code: result.code, diagnosticMessage: result.message, dn: operation.dn), index)
                    break
                }
            }

            var failedMessage: Int32 = 0
            rc = ldap_txn_end_s(ld, sendFailure == nil ? 1 : 0, transactionID, nil, nil, &failedMessage)
            if let sendFailure {
                return .aborted(sendFailure.error, failedIndex: sendFailure.index)
            }
            guard rc == LDAP_SUCCESS else {
                var error = self.lastError(ld, operation: "commit transaction", code: rc)
                let index = indexOfMessage[failedMessage]
                if let index { error.dn = operations[index].dn }
                if error.code.meansConnectionLost { throw error }
                return .aborted(error, failedIndex: index)
            }
            return .committed
        }
    }
}
