/**
 * Domain-name handling shared by queries and answers. Names are kept in presentation form
 * without the trailing dot and compared case-insensitively (RFC 4343); output is lower case
 * so metric label values do not change when a server varies the case it echoes.
 */
import { domainToASCII } from 'node:url';

/** The SRV owner name Windows and Office clients query for KMS hosts (MS-SRV lookup). */
export const KMS_SRV_PREFIX = '_vlmcs._tcp.';

const MAX_NAME_OCTETS = 253;
const MAX_LABEL_OCTETS = 63;

/** Lower case, no trailing dot; the root is ".". */
export function canonicalName(name: string): string {
  const trimmed = name.endsWith('.') && name !== '.' ? name.slice(0, -1) : name;
  return trimmed === '' ? '.' : trimmed.toLowerCase();
}

export function sameName(a: string, b: string): boolean {
  return canonicalName(a) === canonicalName(b);
}

/**
 * Validates a user-supplied domain and returns its canonical ASCII form (IDNs become
 * punycode). A leading `_vlmcs._tcp.` is removed, so both spellings name the same domain.
 * Throws an Error with a message fit for a usage error.
 */
export function normalizeDomain(input: string): string {
  let text = input.trim();
  if (text.toLowerCase().startsWith(KMS_SRV_PREFIX)) text = text.slice(KMS_SRV_PREFIX.length);
  if (text.endsWith('.')) text = text.slice(0, -1);
  if (text === '') throw new Error(`invalid domain ${JSON.stringify(input)}: empty`);
  // domainToASCII applies IDNA; it returns '' for names it cannot convert.
  const ascii = /^[\x21-\x7e]+$/.test(text) ? text : domainToASCII(text);
  if (ascii === '') throw new Error(`invalid domain ${JSON.stringify(input)}`);
  checkWireLimits(ascii, input);
  return ascii.toLowerCase();
}

/** Label and name lengths as the wire format allows (RFC 1035 2.3.4); throws otherwise. */
export function checkWireLimits(name: string, shownAs: string = name): void {
  // Counted per character, without allocating: this runs for every query sent. Non-ASCII
  // text (only possible from hostile answers) is measured in UTF-8 bytes, as encoded.
  const ascii = !/[\u0080-\uffff]/.test(name);
  const octets = (from: number, to: number): number =>
    ascii ? to - from : Buffer.byteLength(name.slice(from, to));
  if (octets(0, name.length) > MAX_NAME_OCTETS) {
    throw new Error(`invalid domain ${JSON.stringify(shownAs)}: longer than 253 characters`);
  }
  let start = 0;
  for (let i = 0; i <= name.length; i++) {
    if (i < name.length && name.charCodeAt(i) !== 0x2e) continue;
    const length = octets(start, i);
    if (length === 0) throw new Error(`invalid domain ${JSON.stringify(shownAs)}: empty label`);
    if (length > MAX_LABEL_OCTETS) {
      throw new Error(`invalid domain ${JSON.stringify(shownAs)}: a label is longer than 63`);
    }
    start = i + 1;
  }
}

/** `_vlmcs._tcp.<domain>` for a normalized domain. */
export function kmsSrvName(domain: string): string {
  return KMS_SRV_PREFIX + domain;
}
