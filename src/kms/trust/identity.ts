/**
 * What the host's identity says: one ePID per host key for its lifetime, and no public
 * emulator's default hardware ID or ePID.
 */
import { knownEpid, knownHwid } from './emulator-identities.js';
import { trustResult, type TrustCheckResult } from './verdict.js';

export interface EpidSighting {
  /** The counter the ePID belongs to (Windows, Office 2010, Office 2013+): one CSVLK each. */
  application: string;
  /** The ePIDs answered for that application this sweep (its exchanges and controls), in order. */
  thisSweep: readonly string[];
  /** The ePID of the previous sweep, or null on the first. */
  previous: string | null;
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
        `${s.application}: two requests of one sweep got different ePIDs (${distinct.join(' then ')}): a genuine host has one per host key`,
      );
    }
  }
  for (const s of seen) {
    const now = s.thisSweep[0]!;
    if (s.previous !== null && s.previous !== now) {
      return trustResult(
        'epid_stable',
        'suspicious',
        `${s.application}: the ePID changed since the last sweep (${s.previous} → ${now}): a reinstalled host key, or a different host answering`,
      );
    }
  }
  const checked = seen.reduce((n, s) => n + s.thisSweep.length + (s.previous === null ? 0 : 1), 0);
  if (checked < 2) {
    return trustResult('epid_stable', 'not_run', 'a single ePID so far: nothing to compare yet');
  }
  return trustResult('epid_stable', 'pass', `the same ePID in ${checked} answers`);
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
