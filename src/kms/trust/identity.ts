/**
 * What the host's identity says: one ePID per host key for its lifetime, and no public
 * emulator's default hardware ID or ePID.
 */
import { tryParseEpid } from '../epid.js';
import type { CounterName } from '../products/index.js';
import { knownEpid, knownHwid } from './emulator-identities.js';
import { trustResult, type TrustCheckResult } from './verdict.js';

export interface EpidSighting {
  /**
   * The host key slot the ePIDs belong to (epidKeySlot): an application, or for Office
   * 2013+ one Office host key. A genuine host answers one ePID per slot.
   */
  slot: string;
  /** The slot in words, for the reason text: 'windows', 'office-2013+ (Office LTSC 2021 key)'. */
  label: string;
  /** The ePIDs answered for that slot this sweep (its exchanges and controls), in order. */
  thisSweep: readonly string[];
  /** The slot's ePID of the previous sweep, or null on the first. */
  previous: string | null;
}

/**
 * Which host key an answer's ePID stands for, as far as one ePID per key can be asked of
 * a genuine host (docs/trust.md, epid_stable). A Windows host holds one Windows host key
 * and an Office 2010 host one Office 2010 key, so their slot is the application: another
 * key there is a reinstalled key or another host. Office 2013 and later share one counter,
 * but each Office release needs its own Volume License Pack and host key (docs/coverage.md
 * §3.2), and a host holding two answers each version's products with that key's ePID: there
 * the slot is the key the ePID decodes to. An ePID that names no known key stays in its
 * application's slot, so an emulator cannot spread random ePIDs over slots of its making.
 */
export function epidKeySlot(
  application: CounterName,
  epid: string,
): { slot: string; label: string } {
  if (application !== 'office-2013+') return { slot: application, label: application };
  const key = tryParseEpid(epid)?.csvlk ?? null;
  if (key === null || key.application !== application) {
    return { slot: application, label: application };
  }
  return { slot: `${application}/${key.id}`, label: `${application} (${key.name} key)` };
}

export function epidStable(sightings: readonly EpidSighting[]): TrustCheckResult {
  const seen = sightings.filter((s) => s.thisSweep.length > 0);
  if (seen.length === 0) return trustResult('epid_stable', 'not_run', 'no ePID answered');
  for (const s of seen) {
    const distinct = [...new Set(s.thisSweep)];
    if (distinct.length > 1) {
      return trustResult(
        'epid_stable',
        'failed',
        `${s.label}: two requests of one sweep got different ePIDs (${distinct.join(' then ')}): a genuine host has one per host key`,
      );
    }
  }
  for (const s of seen) {
    const now = s.thisSweep[0]!;
    if (s.previous !== null && s.previous !== now) {
      return trustResult(
        'epid_stable',
        'suspicious',
        `${s.label}: the ePID changed since the last sweep (${s.previous} → ${now}): a reinstalled host key, or a different host answering`,
      );
    }
  }
  const checked = seen.reduce((n, s) => n + s.thisSweep.length + (s.previous === null ? 0 : 1), 0);
  if (checked < 2) {
    return trustResult('epid_stable', 'not_run', 'a single ePID so far: nothing to compare yet');
  }
  if (seen.length === 1) {
    return trustResult('epid_stable', 'pass', `the same ePID in ${checked} answers`);
  }
  return trustResult(
    'epid_stable',
    'pass',
    `one ePID per host key (${seen.map((s) => s.label).join(', ')}) in ${checked} answers`,
  );
}

export function knownEmulatorIdentity(
  hwid: string | null,
  epids: readonly string[],
): TrustCheckResult {
  const hw = knownHwid(hwid);
  if (hw) {
    return trustResult(
      'known_emulator_identity',
      'failed',
      `hardware ID ${hw.value} is the ${hw.source}`,
    );
  }
  for (const epid of epids) {
    const known = knownEpid(epid);
    if (known) {
      return trustResult(
        'known_emulator_identity',
        'failed',
        `ePID ${known.value} is the ${known.source}`,
      );
    }
  }
  if (hwid === null && epids.length === 0) {
    return trustResult('known_emulator_identity', 'not_run', 'no hardware ID or ePID answered');
  }
  return trustResult(
    'known_emulator_identity',
    'pass',
    'neither the hardware ID nor the ePID is a known emulator default',
  );
}
