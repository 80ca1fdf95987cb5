/// The `misParent` schema that ldap-sync writes with, in both forms OpenLDAP loads.
///
/// This is the one source of truth: `schema/ldap-sync.schema` and `schema/ldap-sync.ldif` in the
/// repository are these strings byte for byte (SchemaTests checks it), and `ldap-sync schema`
/// prints them, so an operator never has to find the right file in a checkout.
public enum ParentSchema {
    /// The schema in slapd.conf form, for an `include` line.
    public static let slapdSchema = #"""
        # ldap-sync: the misParent auxiliary object class and its attributes (OpenLDAP slapd.conf form).
        # The cn=config form, ldap-sync.ldif, holds the same definitions; `ldap-sync schema` prints both.
        #
        # OID arc: 1.3.6.1.4.1.32473 is the IANA Private Enterprise Number for documentation use (RFC 5612).
        # A production directory should register its own PEN with IANA and move this arc under it before
        # loading the schema: an OID, once in use in a directory, cannot be changed without a migration.
        #   1.3.6.1.4.1.32473.1      ldap-sync
        #   1.3.6.1.4.1.32473.1.1.n  attribute types
        #   1.3.6.1.4.1.32473.1.2.n  object classes
        #
        # Matching rules, and why:
        # - misParentId, misContactRef and misChildRef are identifiers the MIS and ldap-sync hand out. Two
        #   ids that differ only in case are different records (OneRoster sourcedIds, for one, are
        #   case-sensitive), so they use caseExactMatch; the substring rule lets a search find every
        #   parent of one school (misChildRef=5301234/*).
        # - misChild holds DNs, compared as DNs (distinguishedNameMatch), like member and manager.
        # - misRole, misAccountStatus and misStatusReason hold words from a small vocabulary that people
        #   type into filters (a VLE's "misAccountStatus=Active"), so they use caseIgnoreMatch.
        # - misStatusSince is a time, with ordering so a filter can find accounts disabled before a date.
        # misContactRef, misChildRef, misChild, misRole and misStatusReason are multi-valued (a parent has
        # several records, children and reasons); the others hold one value.
        # All of these support equality indexes: see README.md for the recommended ones.

        objectIdentifier LdapSyncRoot 1.3.6.1.4.1.32473.1
        objectIdentifier LdapSyncAttr LdapSyncRoot:1
        objectIdentifier LdapSyncClass LdapSyncRoot:2

        attributetype ( LdapSyncAttr:1 NAME 'misParentId'
            DESC 'ldap-sync: stable id of this parent, given at creation and never changed'
            EQUALITY caseExactMatch
            SUBSTR caseExactSubstringsMatch
            SYNTAX 1.3.6.1.4.1.1466.115.121.1.15
            SINGLE-VALUE )

        attributetype ( LdapSyncAttr:2 NAME 'misContactRef'
            DESC 'ldap-sync: an MIS contact record of this parent, <school_id>/<contact_id>'
            EQUALITY caseExactMatch
            SUBSTR caseExactSubstringsMatch
            SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )

        attributetype ( LdapSyncAttr:3 NAME 'misChildRef'
            DESC 'ldap-sync: a pupil this parent may see, <school_id>/<pupil_id>'
            EQUALITY caseExactMatch
            SUBSTR caseExactSubstringsMatch
            SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )

        attributetype ( LdapSyncAttr:4 NAME 'misChild'
            DESC 'ldap-sync: DN of the entry of a pupil this parent may see'
            EQUALITY distinguishedNameMatch
            SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )

        attributetype ( LdapSyncAttr:5 NAME 'misRole'
            DESC 'ldap-sync: role of this account, such as Parent'
            EQUALITY caseIgnoreMatch
            SUBSTR caseIgnoreSubstringsMatch
            SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )

        attributetype ( LdapSyncAttr:6 NAME 'misAccountStatus'
            DESC 'ldap-sync: active, disabled or pending (created, credentials not yet handed over)'
            EQUALITY caseIgnoreMatch
            SYNTAX 1.3.6.1.4.1.1466.115.121.1.15
            SINGLE-VALUE )

        attributetype ( LdapSyncAttr:7 NAME 'misStatusReason'
            DESC 'ldap-sync: why the account has its status, one reason code a value'
            EQUALITY caseIgnoreMatch
            SUBSTR caseIgnoreSubstringsMatch
            SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )

        attributetype ( LdapSyncAttr:8 NAME 'misStatusSince'
            DESC 'ldap-sync: when the account took its present status'
            EQUALITY generalizedTimeMatch
            ORDERING generalizedTimeOrderingMatch
            SYNTAX 1.3.6.1.4.1.1466.115.121.1.24
            SINGLE-VALUE )

        objectclass ( LdapSyncClass:1 NAME 'misParent'
            DESC 'ldap-sync: a parent account kept in line with the MIS, on top of inetOrgPerson'
            SUP top AUXILIARY
            MUST misParentId
            MAY ( misContactRef $ misChildRef $ misChild $ misRole $
                  misAccountStatus $ misStatusReason $ misStatusSince ) )

        """#

    /// The schema as a cn=config entry, for `ldapadd -Y EXTERNAL -H ldapi:/// -f ldap-sync.ldif`.
    public static let ldif = #"""
        # ldap-sync: the misParent auxiliary object class and its attributes (OpenLDAP cn=config form).
        # The same definitions as ldap-sync.schema, where the OID arc and the choice of matching rules are
        # explained. 1.3.6.1.4.1.32473 is the IANA PEN for documentation use (RFC 5612): a production
        # directory should move the arc under its own PEN before loading this.
        #
        # Load into a running slapd that uses cn=config:
        #   ldapadd -Y EXTERNAL -H ldapi:/// -f ldap-sync.ldif
        # A folded line goes on with one space; the second space keeps the words apart.

        dn: cn=ldap-sync,cn=schema,cn=config
        objectClass: olcSchemaConfig
        cn: ldap-sync
        olcObjectIdentifier: LdapSyncRoot 1.3.6.1.4.1.32473.1
        olcObjectIdentifier: LdapSyncAttr LdapSyncRoot:1
        olcObjectIdentifier: LdapSyncClass LdapSyncRoot:2
        olcAttributeTypes: ( LdapSyncAttr:1 NAME 'misParentId'
          DESC 'ldap-sync: stable id of this parent, given at creation and never changed'
          EQUALITY caseExactMatch
          SUBSTR caseExactSubstringsMatch
          SYNTAX 1.3.6.1.4.1.1466.115.121.1.15
          SINGLE-VALUE )
        olcAttributeTypes: ( LdapSyncAttr:2 NAME 'misContactRef'
          DESC 'ldap-sync: an MIS contact record of this parent, <school_id>/<contact_id>'
          EQUALITY caseExactMatch
          SUBSTR caseExactSubstringsMatch
          SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
        olcAttributeTypes: ( LdapSyncAttr:3 NAME 'misChildRef'
          DESC 'ldap-sync: a pupil this parent may see, <school_id>/<pupil_id>'
          EQUALITY caseExactMatch
          SUBSTR caseExactSubstringsMatch
          SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
        olcAttributeTypes: ( LdapSyncAttr:4 NAME 'misChild'
          DESC 'ldap-sync: DN of the entry of a pupil this parent may see'
          EQUALITY distinguishedNameMatch
          SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )
        olcAttributeTypes: ( LdapSyncAttr:5 NAME 'misRole'
          DESC 'ldap-sync: role of this account, such as Parent'
          EQUALITY caseIgnoreMatch
          SUBSTR caseIgnoreSubstringsMatch
          SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
        olcAttributeTypes: ( LdapSyncAttr:6 NAME 'misAccountStatus'
          DESC 'ldap-sync: active, disabled or pending (created, credentials not yet handed over)'
          EQUALITY caseIgnoreMatch
          SYNTAX 1.3.6.1.4.1.1466.115.121.1.15
          SINGLE-VALUE )
        olcAttributeTypes: ( LdapSyncAttr:7 NAME 'misStatusReason'
          DESC 'ldap-sync: why the account has its status, one reason code a value'
          EQUALITY caseIgnoreMatch
          SUBSTR caseIgnoreSubstringsMatch
          SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
        olcAttributeTypes: ( LdapSyncAttr:8 NAME 'misStatusSince'
          DESC 'ldap-sync: when the account took its present status'
          EQUALITY generalizedTimeMatch
          ORDERING generalizedTimeOrderingMatch
          SYNTAX 1.3.6.1.4.1.1466.115.121.1.24
          SINGLE-VALUE )
        olcObjectClasses: ( LdapSyncClass:1 NAME 'misParent'
          DESC 'ldap-sync: a parent account kept in line with the MIS, on top of inetOrgPerson'
          SUP top AUXILIARY
          MUST misParentId
          MAY ( misContactRef $ misChildRef $ misChild $ misRole $
          misAccountStatus $ misStatusReason $ misStatusSince ) )

        """#

    /// The two forms the schema comes in.
    public enum Format: String, Sendable, CaseIterable {
        /// slapd.conf form (`include`).
        case schema
        /// cn=config form (`ldapadd`).
        case ldif
    }

    /// The schema in the given form.
    public static func text(_ format: Format) -> String {
        switch format {
        case .schema: slapdSchema
        case .ldif: ldif
        }
    }
}
