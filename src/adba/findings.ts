/**
 * Proposed catalogue entries for Active Directory-Based Activation, in the shape of FINDINGS
 * in src/monitor/findings.ts (severity, clientsSee, meaning, fix), for the lead to merge
 * there: the catalogue stays the one place a finding is defined. Kept as data here because
 * src/adba must not import the monitor.
 */

export interface AdbaFindingDefinition {
  severity: 'warning' | 'critical' | 'unknown';
  clientsSee: string | null;
  meaning: string;
  fix: string;
}

export const ADBA_FINDINGS = {
  adba_unreadable: {
    severity: 'warning',
    clientsSee: null,
    meaning:
      'the activation objects of a forest cannot be read (reason: connect, tls, bind, timeout, not_found or protocol)',
    fix:
      'See the reason: connect — is the domain controller up and port 636 (LDAPS) or 389 ' +
      '(StartTLS) open from here? tls — does ca_file hold the CA of the DC certificate and does ' +
      'the certificate name the host in url? bind — check bind_dn and the password file or ' +
      'variable, and that the account is enabled. not_found — base or the Activation Objects ' +
      'container does not exist (no ADBA in this forest, or base is not the Configuration ' +
      'partition). timeout / protocol — the server answered too slowly or not as LDAP. Domain ' +
      'members keep their activation until they cannot reach AD themselves; then they fall ' +
      'back to KMS.',
  },
  adba_object_forged: {
    severity: 'critical',
    clientsSee: null,
    meaning: 'an activation object looks forged: it was not made by Windows from a real CSVLK',
    fix:
      'An object with an all-zero SKU ID, a placeholder partial key or PID, or a KMS ID list ' +
      'no CSVLK has comes from a piracy script, not from `slmgr /ad-activation-online`. Check ' +
      'who created it (whenCreated, the security log of the DCs; creating one needs Enterprise ' +
      'Admin rights), delete it (`slmgr /ao-list`, then ADSI Edit on CN=Activation Objects), ' +
      'and activate the forest with a genuine CSVLK.',
  },
  adba_object_appeared: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'a new activation object appeared in the forest',
    fix:
      'Expected after activating a CSVLK with `slmgr /ad-activation-online`; otherwise find out ' +
      'who created it. Raised until the next round.',
  },
  adba_object_changed: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'an activation object changed (the attributes are named)',
    fix:
      'Activation objects are written once by Windows; a change to the PID, SKU ID, partial key ' +
      'or KMS IDs is made by hand. Check who changed it. Raised until the next round.',
  },
  adba_object_removed: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'an activation object disappeared from the forest',
    fix:
      'Domain members it activated fall back to KMS at their next renewal (within 7 days) and ' +
      'lose activation 180 days after the last one unless a KMS host serves them. Restore it ' +
      '(AD Recycle Bin) or reactivate the CSVLK if the removal was not intended. Raised until ' +
      'the next round.',
  },
  adba_object_malformed: {
    severity: 'warning',
    clientsSee: null,
    meaning:
      'an activation object lacks attributes the schema requires, or holds values of the wrong size',
    fix:
      'Windows writes every required attribute; a missing or mis-sized one means the object was ' +
      'made or edited by hand. Compare it with `slmgr /ao-list` and recreate it from the CSVLK.',
  },
  adba_kms_id_unknown: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'an activation object enables a KMS counted ID that kms-monitor does not know',
    fix:
      'A product newer than kms-monitor, or a made-up ID: look it up, and if it is genuine add ' +
      'it as a custom product (`products:` with its kms_counted_id) or upgrade kms-monitor.',
  },
} as const satisfies Record<string, AdbaFindingDefinition>;

export type AdbaFindingCode = keyof typeof ADBA_FINDINGS;
