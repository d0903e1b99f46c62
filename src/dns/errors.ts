/**
 * Every DNS lookup ends in an answer or in exactly one of these named reasons. They are
 * metric label values and JSON fields, so they are part of the contract (docs/design.md).
 */
export const DNS_FAILURE_REASONS = [
  /** No acceptable answer before the deadline (the server stayed silent). */
  'timeout',
  /** The server answered SERVFAIL (or another error rcode without a reason of its own). */
  'servfail',
  /** The server answered REFUSED: it will not resolve this name for us. */
  'refused',
  /** The name does not exist. Not a resolver failure: the resolver answered, the record is missing. */
  'nxdomain',
  /** The server answered FORMERR: it could not parse our query. */
  'formerr',
  /** The answer's bytes are broken: bad lengths, compression-pointer loops, impossible records. */
  'malformed',
  /** Only datagrams with another query ID arrived (stray or spoofed); they were dropped. */
  'id_mismatch',
  /** Only answers to another question arrived; they were dropped. */
  'question_mismatch',
  /** The UDP answer had the TC bit set and the TCP retry failed too. */
  'truncated',
  /** A socket error: port unreachable, connection refused or reset. */
  'network',
  /**
   * No route to the resolver: the network or host is unreachable from here (an IPv6
   * resolver on an IPv4-only machine, a branch DNS server behind a VPN that is down).
   */
  'unreachable',
  /** The name cannot be asked: an empty or over-long label, a character DNS names lack. */
  'bad_name',
  /** The name exists but has neither an A nor an AAAA record (NODATA for both families). */
  'no_address',
] as const;

export type DnsFailureReason = (typeof DNS_FAILURE_REASONS)[number];

/** The plain-data form carried in results and printed as JSON. */
export interface DnsError {
  reason: DnsFailureReason;
  message: string;
}

/** The only error type thrown inside src/dns; lookups turn it into a DnsError result. */
export class DnsFailure extends Error {
  override readonly name = 'DnsFailure';
  constructor(
    readonly reason: DnsFailureReason,
    message: string,
  ) {
    super(message);
  }

  toJSON(): DnsError {
    return { reason: this.reason, message: this.message };
  }
}

/** Turns anything thrown into a DnsFailure, so no foreign exception leaves the DNS layer. */
export function asDnsFailure(error: unknown, fallback: DnsFailureReason = 'network'): DnsFailure {
  if (error instanceof DnsFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DnsFailure(fallback, message);
}

/**
 * The reason an answer's rcode stands for: null for NOERROR; SERVFAIL and every rcode
 * without a reason of its own (NOTIMP, YXDOMAIN...) count as servfail — the result's
 * `rcode` field still carries the exact one.
 */
export function reasonForRcode(rcode: string): DnsFailureReason | null {
  switch (rcode) {
    case 'NOERROR':
      return null;
    case 'NXDOMAIN':
      return 'nxdomain';
    case 'REFUSED':
      return 'refused';
    case 'FORMERR':
      return 'formerr';
    default:
      return 'servfail';
  }
}
