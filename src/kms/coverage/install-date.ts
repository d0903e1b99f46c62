/**
 * Whether an ePID's key install date can be true (docs/coverage.md §4.4): not before the
 * key's release nor the host build's, not in the future.
 */
import { hostOsOf } from '../host-os.js';
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
  const bounds: [Date, string][] = [];
  const keyRelease = csvlk?.releasedOn ?? null;
  if (csvlk !== null && keyRelease !== null) {
    bounds.push([new Date(`${keyRelease}T00:00:00Z`), `the ${csvlk.name} key (${keyRelease})`]);
  }
  const buildRelease = hostOsOf(build)?.earliestRelease ?? null;
  if (buildRelease !== null) bounds.push([buildRelease, `build ${build} (${iso(buildRelease)})`]);
  let latest: [Date, string] | null = null;
  for (const b of bounds) if (latest === null || b[0] > latest[0]) latest = b;
  if (latest === null) return { status: 'plausible', earliest: null };
  const earliest = new Date(latest[0].getTime() - RELEASE_GRACE_DAYS * 86_400_000);
  if (date < earliest) {
    return {
      status: 'before-release',
      earliest,
      reason: `installed ${iso(date)}, more than ${RELEASE_GRACE_DAYS} days before the release of ${latest[1]}`,
    };
  }
  return { status: 'plausible', earliest };
}
