/**
 * The authorization keys of a domain (docs/trust.md, "Authorization"): which hosts may be
 * published in it (`allowed_hosts`) and the identities pinned per host (`pinned_hosts`:
 * host → `expected_epids` / `expected_hwids`). Parsed once here into canonical values (names
 * lower case, IPv6 compressed, HWIDs upper case) so the evaluation compares plain strings.
 */
import { ipFamily } from '../util/ip-family.js';
import { z } from 'zod';
import { canonicalIpv6, checkDnsName } from '../dns/index.js';
import { formatHwid, MAX_EPID_LENGTH, parseHwid, tryParseEpid } from '../kms/epid.js';
import { uniqueBy } from './unique.js';

/** A host name or an IP address, without a port: what an SRV target or its address is. */
export function canonicalHostOrAddress(text: string): string {
  const bare = /^\[(.+)\]$/.exec(text)?.[1] ?? text;
  if (ipFamily(bare) === 6) return canonicalIpv6(bare);
  if (ipFamily(bare) === 4) return bare;
  return checkDnsName(text, 'host name or address');
}

const hostOrAddress = z.string().transform((text, ctx) => {
  try {
    return canonicalHostOrAddress(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

/** An ePID as a host sends it: a typo here would raise a finding on every sweep. */
const epid = z
  .string()
  .max(MAX_EPID_LENGTH)
  .refine((text) => tryParseEpid(text) !== null, {
    message:
      'not an ePID (PPPPP-GGGGG-KKK-KKKKKK-03-LLLL-BBBBB.0000-DDDYYYY, as `slmgr /dlv` shows it)',
  });

/** 16 hex digits, optionally grouped by spaces, colons or dashes; held in upper case. */
const hwid = z.string().transform((text, ctx) => {
  try {
    return formatHwid(parseHwid(text));
  } catch {
    ctx.addIssue({ code: 'custom', message: `not a hardware ID (16 hex digits): "${text}"` });
    return z.NEVER;
  }
});

const pin = z
  .strictObject({
    /** Every ePID the host may answer with: one per host key (Windows, Office). */
    expected_epids: z
      .array(epid)
      .superRefine(uniqueBy((e) => e, 'ePID'))
      .default([]),
    /** The host's hardware ID(s) (v6 answers carry it). */
    expected_hwids: z
      .array(hwid)
      .superRefine(uniqueBy((h) => h, 'hardware ID'))
      .default([]),
  })
  .refine((p) => p.expected_epids.length > 0 || p.expected_hwids.length > 0, {
    message: 'pins nothing: give expected_epids, expected_hwids or both',
  });

export type HostPinConfig = z.output<typeof pin>;

/** `allowed_hosts`: names or addresses; listed once each. */
export const allowedHosts = z
  .array(hostOrAddress)
  .min(1, 'must list at least one host (leave the key out to allow any)')
  .superRefine(uniqueBy((h) => h, 'allowed host'));

/** `pinned_hosts`: host name or address → what it must answer with. */
export const pinnedIdentities = z
  .record(z.string(), pin)
  .transform((record, ctx): Record<string, HostPinConfig> => {
    const out: Record<string, HostPinConfig> = {};
    const spelledAs = new Map<string, string>();
    for (const [key, value] of Object.entries(record)) {
      let host: string;
      try {
        host = canonicalHostOrAddress(key);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: [key], message: (err as Error).message });
        continue;
      }
      const first = spelledAs.get(host);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `duplicate pinned host "${host}": "${key}" names the same host as "${first}"; pin each host once`,
        });
        continue;
      }
      spelledAs.set(host, key);
      out[host] = value;
    }
    return out;
  });

/**
 * `trust`: the optional requests of the authenticity checks. `count_echo` (on by default)
 * sends each application's first product again with a lower N; `clock_window_check` (off by
 * default: a host whose own clock is hours wrong fails it) sends one dated 5 hours off.
 */
export const trustSettings = z
  .strictObject({
    count_echo: z.boolean().default(true),
    clock_window_check: z.boolean().default(false),
  })
  .default({ count_echo: true, clock_window_check: false });

/** A pinned host must be allowed when the domain lists its allowed hosts. */
export function checkPinsAllowed(
  domain: { allowed_hosts?: string[]; pinned_hosts?: Record<string, HostPinConfig> },
  ctx: z.RefinementCtx,
): void {
  if (domain.allowed_hosts === undefined || domain.pinned_hosts === undefined) return;
  const allowed = new Set(domain.allowed_hosts);
  for (const host of Object.keys(domain.pinned_hosts)) {
    if (!allowed.has(host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['pinned_hosts', host],
        message: `"${host}" is pinned but not in allowed_hosts: add it there, or remove the pin`,
      });
    }
  }
}
