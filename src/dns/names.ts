/**
 * Domain-name handling shared by configuration, queries and answers. Names are kept in
 * presentation form without the trailing dot and compared case-insensitively (RFC 4343);
 * output is lower case so metric label values do not change when a server varies the case
 * it echoes.
 */
import { domainToASCII } from 'node:url';

/** The SRV owner name Windows and Office clients query for KMS hosts (MS-SRV lookup). */
export const KMS_SRV_PREFIX = '_vlmcs._tcp.';

const MAX_NAME_OCTETS = 253;
const MAX_LABEL_OCTETS = 63;
/** Letters, digits, hyphen; underscore too, for service labels such as `_msdcs`. */
function isLabelCharacter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || // -
    code === 0x5f // _
  );
}

/** A name checkDnsName refuses; `problem` is what is wrong, without the name. */
export class DnsNameError extends Error {
  override readonly name = 'DnsNameError';
  constructor(
    message: string,
    readonly problem: string,
  ) {
    super(message);
  }
}

/** Lower case, no trailing dot; the root is ".". */
export function canonicalName(name: string): string {
  const trimmed = name.endsWith('.') && name !== '.' ? name.slice(0, -1) : name;
  return trimmed === '' ? '.' : trimmed.toLowerCase();
}

export function sameName(a: string, b: string): boolean {
  return canonicalName(a) === canonicalName(b);
}

function nameError(what: string, shownAs: string, problem: string): never {
  throw new DnsNameError(`invalid ${what} ${JSON.stringify(shownAs)}: ${problem}`, problem);
}

/** Whether `text` is a name checkDnsName accepts and returns unchanged. */
function isCanonicalName(text: string): boolean {
  if (text.length === 0 || text.length > MAX_NAME_OCTETS) return false;
  let labelStart = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (code !== 0x2e) {
      if (!isLabelCharacter(code)) return false;
      continue;
    }
    const length = i - labelStart;
    if (length === 0 || length > MAX_LABEL_OCTETS) return false;
    if (text.charCodeAt(labelStart) === 0x2d || text.charCodeAt(i - 1) === 0x2d) return false;
    labelStart = i + 1;
  }
  return true;
}

/**
 * The one check of a DNS name an admin wrote (configuration, flags, resolv.conf): labels of
 * 1–63 octets, at most 253 in total, letters, digits, hyphens and underscores only, no label
 * starting or ending with a hyphen (RFC 952, RFC 1123 2.1; IDNs are converted to punycode
 * first, RFC 5891). Returns the canonical form — lower case, without the trailing dot — so
 * that `Corp.Example.` and `corp.example` are one name everywhere. Throws a DnsNameError
 * whose message starts with `invalid <what> "<input>":` and says what is wrong.
 */
export function checkDnsName(input: string, what = 'domain', shownAs = input): string {
  let text = input.endsWith('.') ? input.slice(0, -1) : input;
  // Every lookup checks its domain, and almost every domain is already canonical: one pass
  // over it, with no split or regular expression. Anything else takes the full check below,
  // which says what is wrong.
  if (isCanonicalName(text)) return text;
  if (text === '') nameError(what, shownAs, 'empty');
  if (!/^[\x21-\x7e]+$/.test(text)) {
    // Space, C0 controls and DEL: codes 0-32 and 127.
    if (
      [...text].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f || /\s/.test(c))
    ) {
      nameError(what, shownAs, 'contains a space or a control character');
    }
    // domainToASCII applies IDNA; it returns '' for names it cannot convert.
    const ascii = domainToASCII(text);
    if (ascii === '') nameError(what, shownAs, 'not a valid internationalized domain name');
    text = ascii;
  }
  text = text.toLowerCase();
  if (text.length > MAX_NAME_OCTETS) {
    nameError(
      what,
      shownAs,
      `${text.length} characters long; a DNS name has at most ${MAX_NAME_OCTETS}`,
    );
  }
  for (const label of text.split('.')) {
    if (label === '') nameError(what, shownAs, 'empty label (a leading dot or two dots in a row)');
    if (label.length > MAX_LABEL_OCTETS) {
      nameError(
        what,
        shownAs,
        `label "${label.slice(0, 20)}…" is ${label.length} characters long; a DNS label has at most ${MAX_LABEL_OCTETS}`,
      );
    }
    for (let i = 0; i < label.length; i++) {
      if (!isLabelCharacter(label.charCodeAt(i))) {
        const character = String.fromCodePoint(label.codePointAt(i) ?? 0);
        nameError(
          what,
          shownAs,
          `character ${JSON.stringify(character)} is not allowed (letters, digits, "-" and "_" only)`,
        );
      }
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      nameError(what, shownAs, `label "${label}" starts or ends with a hyphen`);
    }
  }
  return text;
}

/**
 * A domain whose KMS SRV records are watched, in canonical ASCII form. A leading
 * `_vlmcs._tcp.` is removed, so both spellings name the same domain. Throws like
 * checkDnsName.
 */
export function normalizeDomain(input: string): string {
  const text = input.toLowerCase().startsWith(KMS_SRV_PREFIX)
    ? input.slice(KMS_SRV_PREFIX.length)
    : input;
  return checkDnsName(text, 'domain', input);
}

function wireOctets(name: string, from: number, to: number, ascii: boolean): number {
  return ascii ? to - from : Buffer.byteLength(name.slice(from, to));
}

/** Label and name lengths as the wire format allows (RFC 1035 2.3.4); throws otherwise. */
export function checkWireLimits(name: string, shownAs: string = name): void {
  // Counted per character, without allocating: this runs for every query sent. Non-ASCII
  // text (only possible from hostile answers) is measured in UTF-8 bytes, as encoded.
  let ascii = true;
  for (let i = 0; i < name.length && ascii; i++) ascii = name.charCodeAt(i) < 0x80;
  if (wireOctets(name, 0, name.length, ascii) > MAX_NAME_OCTETS) {
    throw new Error(`invalid domain ${JSON.stringify(shownAs)}: longer than 253 characters`);
  }
  let start = 0;
  for (let i = 0; i <= name.length; i++) {
    if (i < name.length && name.charCodeAt(i) !== 0x2e) continue;
    const length = wireOctets(name, start, i, ascii);
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
