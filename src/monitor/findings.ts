/**
 * The findings catalogue: every problem kms-monitor can report, defined once. Each has a
 * stable code (the `code` label of kms_findings, the `code` field of `check --json` and
 * /api/v1/status, the `code` of the log line when it is raised or cleared), a severity, the
 * error its clients see, what it means and what an admin does about it. evaluate() is the
 * only producer of findings; every output renders them and keeps no advice of its own.
 */
import { HRESULT } from '../kms/hresult.js';

export type Severity = 'ok' | 'warning' | 'critical' | 'unknown';

export interface FindingDefinition {
  severity: Exclude<Severity, 'ok'>;
  /** The HRESULT a client of the affected domain or host reports, as `0xC004F074`; null if none. */
  clientsSee: string | null;
  /** One line: what is wrong, for an admin. */
  meaning: string;
  /** What to do about it. */
  fix: string;
}

const hex = (code: number) => `0x${code.toString(16).toUpperCase().padStart(8, '0')}`;

export const FINDINGS = {
  nothing_to_watch: {
    severity: 'unknown',
    clientsSee: null,
    meaning: 'kms-monitor has no domain and no host to watch',
    fix: 'Configure `domains` (or give the resolv.conf in use a `search` line) or `hosts`.',
  },
  srv_lookup_failing: {
    severity: 'critical',
    clientsSee: hex(HRESULT.NO_KMS_HOST),
    meaning: 'a resolver of the domain does not answer the _vlmcs._tcp lookup',
    fix:
      'Check the resolver (is the DNS server up and reachable from here and from the clients?); ' +
      'clients using it cannot find a KMS host.',
  },
  srv_missing: {
    severity: 'critical',
    clientsSee: hex(HRESULT.NO_KMS_HOST),
    meaning: 'the domain publishes no _vlmcs._tcp record',
    fix:
      'Publish the record: on a KMS host, `slmgr /sdns` and check that it may register in this ' +
      'zone, or create _vlmcs._tcp.<domain> SRV 0 0 1688 <host> by hand.',
  },
  no_working_host: {
    severity: 'critical',
    clientsSee: hex(HRESULT.NO_KMS_HOST),
    meaning: 'no host the domain publishes can activate the product now',
    fix:
      'Bring back a host (see the host findings), or publish one that holds a host key for the ' +
      'product; clients of the domain fail activation until then.',
  },
  all_below_threshold: {
    severity: 'critical',
    clientsSee: hex(HRESULT.COUNT_INSUFFICIENT),
    meaning: 'every host that answers the product counts fewer clients than its N',
    fix:
      'More machines must ask the host before it activates any (25 for Windows clients, 5 for ' +
      'Windows Server and Office): let clients ask it (`slmgr /ato`), or move them to one host ' +
      'instead of several so the count is not split.',
  },
  host_down: {
    severity: 'warning',
    clientsSee: hex(HRESULT.RPC_SERVER_UNAVAILABLE),
    meaning: 'no address of the host accepts a TCP connection on its KMS port',
    fix:
      'Is the host up and the Software Protection service running (`sc query sppsvc`)? Is the ' +
      'firewall rule "Key Management Service (TCP-In)" on? If the host is gone, remove its SRV record.',
  },
  address_unreachable: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'an address of the host does not accept connections while another does',
    fix:
      'Clients that try this address first lose time before falling back: fix the address ' +
      '(firewall, listener on IPv6 too) or remove its A/AAAA record.',
  },
  srv_target_unresolvable: {
    severity: 'warning',
    clientsSee: hex(HRESULT.NO_KMS_HOST),
    meaning: "a published target has no address at the domain's resolvers: a stale record",
    fix: 'Remove the SRV record of the host that is gone, or publish its A/AAAA record.',
  },
  product_refused: {
    severity: 'warning',
    clientsSee: hex(HRESULT.KEY_NOT_COVERED),
    meaning: 'the host answers but refuses the product',
    fix:
      'The host key does not cover this product: install a CSVLK that does (`slmgr /ipk`, then ' +
      '`slmgr /ato`), or the update/Volume License Pack the host needs for it.',
  },
  host_exchange_failing: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'the KMS exchange with the host fails',
    fix: 'See the reason: a host that breaks the protocol is not a usable KMS host.',
  },
  count_below_threshold: {
    severity: 'warning',
    clientsSee: hex(HRESULT.COUNT_INSUFFICIENT),
    meaning: "the host counts fewer clients than the product's N; another host still works",
    fix:
      'Its clients get 0xC004F038 until more machines ask it; clients that reach another host ' +
      'are activated.',
  },
  count_margin: {
    severity: 'warning',
    clientsSee: null,
    meaning:
      "the host's count is outside the margin over N that check's --warning/--critical ask for",
    fix:
      'The count is close to N: a few machines leaving drops the host below it. Let more clients ' +
      'use this host, or lower the margin if it is expected. (`check` raises this as WARNING or ' +
      'CRITICAL by its thresholds.)',
  },
  host_not_genuine: {
    severity: 'critical',
    clientsSee: null,
    meaning:
      'the host answers requests every genuine KMS host refuses: clients are activated by ' +
      'something that is not a genuine KMS host (an emulator)',
    fix:
      'Find the machine (the address, hardware ID and ePID in the evidence), remove its ' +
      '_vlmcs._tcp record, and check who may register records in the zone (DNS permissions; ' +
      'a router publishing its own). See docs/trust.md.',
  },
  host_suspicious: {
    severity: 'warning',
    clientsSee: null,
    meaning:
      'the host fails an authenticity check: a sign of an emulator, a rogue host or a ' +
      'reinstalled one, not a proof',
    fix:
      'Read the evidence of each check (docs/trust.md says what a genuine host does and the ' +
      "check's limits); compare with the host you run (`slmgr /dlv` shows its ePID), and " +
      'remove the record of a host nobody owns.',
  },
  host_not_allowed: {
    severity: 'warning',
    clientsSee: null,
    meaning: "a published host is not in the domain's allowed_hosts: a KMS host nobody planned",
    fix:
      'Find the machine (its name and address are in the message): someone may have typed a KMS ' +
      'host key instead of a client key (`slmgr /ckms` and a client key fix it), or a router ' +
      'publishes its own record. Remove its _vlmcs._tcp record and check who may register ' +
      'records in the zone; if the host is yours, add it to allowed_hosts. See docs/trust.md.',
  },
  host_identity_changed: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'a pinned host answers with another ePID or hardware ID than pinned_hosts expects',
    fix:
      'Compare `slmgr /dlv` on the host with the ePID and hardware ID in the message. A ' +
      'reinstalled host key or a rebuilt host changes them: update the pin. Otherwise another ' +
      'machine answers under this name (a DNS or address change, an emulator): find it first.',
  },
  single_host: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'the domain publishes a single KMS machine: no redundancy',
    fix:
      'Publish a second KMS host; names that point at the same machine (same address and port, ' +
      'or same ePID and hardware ID) do not count twice.',
  },
  resolvers_disagree: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'the resolvers of the domain return different _vlmcs._tcp record sets',
    fix: 'Check zone replication between the DNS servers (AD-integrated zones replicate by AD).',
  },
  expected_host_missing: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'a host configured as expected is not published in the domain',
    fix: 'Publish its SRV record (`slmgr /sdns` on the host), or remove it from expected_hosts.',
  },
  hosts_truncated: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'more KMS hosts than limits.hosts_total: some are not probed',
    fix: 'Raise limits.hosts_total, or look for the records that should not be there.',
  },
  // Active Directory-Based Activation (docs/adba.md): one forest's activation objects.
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
      'who created it. Raised until the next successful read of the forest (one adba_interval).',
  },
  adba_object_changed: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'an activation object changed (the attributes are named)',
    fix:
      'Activation objects are written once by Windows; a change to the PID, SKU ID, partial key ' +
      'or KMS IDs is made by hand. Check who changed it. Raised until the next successful read.',
  },
  adba_object_disappeared: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'an activation object disappeared from the forest',
    fix:
      'Domain members it activated fall back to KMS at their next renewal (within 7 days) and ' +
      'lose activation 180 days after the last one unless a KMS host serves them. Restore it ' +
      '(AD Recycle Bin) or reactivate the CSVLK if the removal was not intended. Raised until ' +
      'the next successful read.',
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
  planned_not_ready: {
    // A warning, not critical: nobody uses the product yet, so today's clients are fine
    // (docs/coverage.md §7).
    severity: 'warning',
    clientsSee: null,
    meaning:
      'a planned product (products: {planned: true}) would not activate in the domain now: no ' +
      'host it publishes answers it',
    fix:
      'Do the shortest fix the message names before rolling the product out: install the host ' +
      'key (and the Office Volume License Pack first), the update the host needs, or move the ' +
      'role to a host OS that can hold the key (docs/coverage.md §6).',
  },
  replaced_host_published: {
    severity: 'warning',
    clientsSee: null,
    meaning:
      'a host the configuration says is replaced (replaces:) is still published in the domain',
    fix:
      "Microsoft's migration order: remove the old host from DNS (`slmgr /cdns` on it, then " +
      'delete its _vlmcs._tcp record), then shut it down or uninstall its host key (`slmgr /upk`).',
  },
  replaced_host_answering: {
    severity: 'warning',
    clientsSee: null,
    meaning: 'a replaced host (replaces:) is no longer published but still answers KMS requests',
    fix:
      'Clients that cached it keep using it: shut it down or uninstall its host key (`slmgr ' +
      '/upk`), after checking that no client names it by hand (`slmgr /skms`).',
  },
  count_split: {
    severity: 'warning',
    clientsSee: null,
    meaning:
      "the domain's hosts together count enough clients, but every one is below N: the count " +
      'is distributed over all of them',
    fix:
      'Fewer KMS hosts, or clients pinned to one (`slmgr /skms`): Microsoft warns that with ' +
      'too many hosts "the count is distributed over all of them". SRV priority and weight do ' +
      'not move clients that cache their host (the default, `slmgr /ckhc` turns it off).',
  },
} as const satisfies Record<string, FindingDefinition>;

export type FindingCode = keyof typeof FINDINGS;

export const FINDING_CODES = Object.keys(FINDINGS) as FindingCode[];

/** One finding in the current state: a catalogue entry, where it applies and what was seen. */
export interface Finding {
  code: FindingCode;
  severity: FindingDefinition['severity'];
  domain?: string;
  /** `host:port`. */
  host?: string;
  product?: string;
  /** The ADBA forest (`adba[].name`). */
  forest?: string;
  /** The DN of an ADBA activation object. */
  object?: string;
  /** The HRESULT clients see for this finding, when it depends on what was seen. */
  clientsSee?: string | null;
  /** The headline: what was seen, with names and numbers. */
  message: string;
}

/** A finding of `code`, with the catalogue's severity. */
export function finding(code: FindingCode, where: Omit<Finding, 'code' | 'severity'>): Finding {
  return { code, severity: FINDINGS[code].severity, ...where };
}

/** Stable identity of a finding, to tell raised from cleared between two evaluations. */
export function findingKey(f: Finding): string {
  return [
    f.code,
    f.domain ?? '',
    f.host ?? '',
    f.product ?? '',
    f.forest ?? '',
    f.object ?? '',
  ].join('\u0000');
}

/** A finding with its catalogue entry spelled out, as JSON outputs carry it. */
export function describeFinding(
  f: Finding,
): Finding & { meaning: string; fix: string; clientsSee: string | null } {
  const definition: FindingDefinition = FINDINGS[f.code];
  return {
    ...f,
    clientsSee: f.clientsSee ?? definition.clientsSee,
    meaning: definition.meaning,
    fix: definition.fix,
  };
}
