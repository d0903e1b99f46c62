/**
 * Whether an ePID's key install date can be true (docs/coverage.md §4.4): not before the
 * key's release nor the host build's, not in the future.
 */
import { hostOsOf, type HostOsInfo } from '../host-os.js';
import type { Csvlk } from './types.js';

/**
 * Volume-licence customers get a release weeks before its general availability (the dates
 * in the tables), so a date up to this many days earlier still passes.
 */
export const RELEASE_GRACE_DAYS = 90;

/** Host and monitor clocks differ and the date has no time zone: one day of slack. */
const FUTURE_SLACK_MS = 86_400_000;

export type InstallDateVerdict =
  | { status: 'plausible'; earliest: Date | null }
  | { status: 'invalid'; reason: string }
  | { status: 'before-release'; earliest: Date; reason: string }
  | { status: 'in-future'; reason: string };

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The latest release a key install date is checked against, less the grace period. */
interface Bound {
  earliest: Date;
  /** What was released then, for the reason ("the Windows Server 2025 key (2024-11-01)"). */
  what: string;
  /** The verdict for every date at or after `earliest` (and not in the future), shared. */
  plausible: InstallDateVerdict;
}

const UNBOUNDED: InstallDateVerdict = Object.freeze({ status: 'plausible', earliest: null });

function bound(release: Date, what: string): Bound {
  const earliest = new Date(release.getTime() - RELEASE_GRACE_DAYS * 86_400_000);
  return { earliest, what, plausible: Object.freeze({ status: 'plausible', earliest }) };
}

/**
 * The bounds by key and by build, made once: a trust assessment checks the date of every
 * ePID a host answered, and making them per check (two Dates parsed from text, tuples, the
 * verdict) was ~5 % of everything serve allocated over a round at 3,000 domains
 * (docs/performance.md). Keyed by the table's key objects and by the build's shared
 * reading (hostOsOf, which bounds the builds it keeps).
 */
const BY_KEY = new WeakMap<Csvlk, Bound | null>();
const BY_BUILD = new WeakMap<Readonly<HostOsInfo>, Bound | null>();

function keyBound(csvlk: Csvlk): Bound | null {
  let b = BY_KEY.get(csvlk);
  if (b === undefined) {
    const released = csvlk.releasedOn;
    b =
      released === null
        ? null
        : bound(new Date(`${released}T00:00:00Z`), `the ${csvlk.name} key (${released})`);
    BY_KEY.set(csvlk, b);
  }
  return b;
}

function buildBound(build: number): Bound | null {
  const os = hostOsOf(build);
  if (os === null) return null;
  let b = BY_BUILD.get(os);
  if (b === undefined) {
    const released = os.earliestRelease;
    b = released === null ? null : bound(released, `build ${build} (${iso(released)})`);
    BY_BUILD.set(os, b);
  }
  return b;
}

/**
 * The verdict on `date` (the ePID's key install date, null when the ePID's day does not
 * exist) for a key on a build, at time `now`.
 */
export function keyInstallDateVerdict(
  date: Date | null,
  csvlk: Csvlk | null,
  build: number,
  now: Date,
): InstallDateVerdict {
  if (date === null) return { status: 'invalid', reason: 'the install day does not exist' };
  if (date.getTime() > now.getTime() + FUTURE_SLACK_MS) {
    return { status: 'in-future', reason: `installed ${iso(date)}, after today (${iso(now)})` };
  }
  const byKey = csvlk === null ? null : keyBound(csvlk);
  const byBuild = buildBound(build);
  // The later release bounds the date; the key's when both fall on the same day.
  const latest =
    byKey === null || (byBuild !== null && byBuild.earliest > byKey.earliest) ? byBuild : byKey;
  if (latest === null) return UNBOUNDED;
  if (date < latest.earliest) {
    return {
      status: 'before-release',
      earliest: latest.earliest,
      reason: `installed ${iso(date)}, more than ${RELEASE_GRACE_DAYS} days before the release of ${latest.what}`,
    };
  }
  return latest.plausible;
}
