/**
 * The coverage verdict for one product group on one host (docs/coverage.md §5–6):
 * activates (probed and answered), refused (probed, 0xC004F042) with the reason worked out
 * from the model, or predicted from the keys the host revealed.
 */
import type { CounterName } from '../products/index.js';
import { csvlkCovers, type CoverageStatus, type ProductRef } from './csvlk-facts.js';
import { planFix, type Fix } from './fix.js';
import { requiredUpdate, type HostUpdate } from './host-updates.js';
import { hostProfile, type HostProbes, type HostProfile } from './host-profile.js';
import type { Csvlk } from './types.js';
import { andList, describeHost } from './wording.js';

export type RefusalReason =
  /** The host's keys for the application do not cover the group. */
  | 'key-does-not-cover'
  /** A key covers it, but the host's release needs an update first. */
  | 'needs-update'
  /** A retail group: every genuine host refuses it. */
  | 'not-volume'
  /** No answer revealed a key of this application. */
  | 'no-key-seen'
  /** A revealed key covers it and no update is known: the model cannot explain it. */
  | 'unexplained';

export type PredictedOutcome = 'activates' | 'activates-with-update' | 'refused' | 'unknown';

export type CoverageVerdict =
  | { kind: 'activates'; product: string; csvlk: Csvlk | null; text: string }
  | { kind: 'refused'; product: string; reason: RefusalReason; text: string; fix: Fix | null }
  | {
      kind: 'predicted';
      product: string;
      outcome: PredictedOutcome;
      /** The update the outcome depends on (activates-with-update). */
      update: HostUpdate | null;
      text: string;
      fix: Fix | null;
    };

const APPLICATION_NAMES: Readonly<Record<CounterName, string>> = {
  windows: 'Windows',
  'office-2010': 'Office 2010',
  'office-2013+': 'Office 2013+',
};

function keysOf(profile: HostProfile, product: ProductRef): Csvlk[] {
  return profile.csvlks.filter((c) => c.application === product.counter);
}

function hostKeys(keys: Csvlk[]): string {
  return `host key${keys.length > 1 ? 's' : ''} ${andList(keys.map((k) => k.name))}`;
}

function coverageOf(keys: Csvlk[], product: ProductRef): CoverageStatus {
  const statuses = keys.map((k) => csvlkCovers(k, product).status);
  if (statuses.includes('covered')) return 'covered';
  return statuses.length > 0 && statuses.every((s) => s === 'not-covered')
    ? 'not-covered'
    : 'unknown';
}

/** What the model makes of a product on a host, before the probe's result is applied. */
type Assessment =
  | { case: 'retail' }
  | { case: 'no-key'; application: string; fix: Fix }
  | { case: 'covered'; keys: string; update: HostUpdate | null; host: string | null }
  | { case: 'not-covered'; text: string; fix: Fix }
  | { case: 'unknown'; keys: string; verb: string };

/**
 * `refusedByHost`: the host refused the product, which settles an unknown coverage as not
 * covered (the refusal is the evidence).
 */
function assess(profile: HostProfile, product: ProductRef, refusedByHost: boolean): Assessment {
  if (!product.kmsActivatable) return { case: 'retail' };
  const keys = keysOf(profile, product);
  if (keys.length === 0) {
    const application = product.counter === null ? 'matching' : APPLICATION_NAMES[product.counter];
    return { case: 'no-key', application, fix: planFix(profile, product) };
  }
  const coverage = coverageOf(keys, product);
  if (coverage === 'covered') {
    const running = profile.running;
    const update = running === null ? null : requiredUpdate(running.id, product.slug);
    const host = running === null ? null : describeHost(profile, running);
    return { case: 'covered', keys: hostKeys(keys), update, host };
  }
  const plural = keys.length > 1;
  if (coverage === 'not-covered' || refusedByHost) {
    const fix = planFix(profile, product);
    const text = `${hostKeys(keys)} ${plural ? 'do' : 'does'} not cover ${product.name}: ${fix.text}`;
    return { case: 'not-covered', text, fix };
  }
  return { case: 'unknown', keys: hostKeys(keys), verb: plural ? 'cover' : 'covers' };
}

function refused(profile: HostProfile, product: ProductRef): CoverageVerdict {
  const base = { kind: 'refused' as const, product: product.slug };
  const a = assess(profile, product, true);
  switch (a.case) {
    case 'retail':
      return {
        ...base,
        reason: 'not-volume',
        text: 'refused, as every genuine host refuses a retail group',
        fix: null,
      };
    case 'no-key':
      return {
        ...base,
        reason: 'no-key-seen',
        text: `no ${a.application} host key answered a probe: ${a.fix.text}`,
        fix: a.fix,
      };
    case 'not-covered':
      return { ...base, reason: 'key-does-not-cover', text: a.text, fix: a.fix };
    case 'covered':
      if (a.update !== null && a.host !== null) {
        const kb = a.update.kb;
        const fix: Fix = {
          installCsvlk: null,
          pack: null,
          update: a.update,
          needsHostOs: null,
          text: `install ${kb}`,
        };
        const text = `${a.keys} covers ${product.name}, but ${a.host} needs ${kb} to activate it: install ${kb} (or a later cumulative update)`;
        return { ...base, reason: 'needs-update', text, fix };
      }
      return {
        ...base,
        reason: 'unexplained',
        text: `${a.keys} should cover ${product.name}, yet the host refused it: check its keys with slmgr /dlv all`,
        fix: null,
      };
    case 'unknown':
      throw new Error('unreachable: a refusal settles unknown coverage');
  }
}

function predicted(profile: HostProfile, product: ProductRef): CoverageVerdict {
  const base = { kind: 'predicted' as const, product: product.slug, update: null, fix: null };
  const a = assess(profile, product, false);
  switch (a.case) {
    case 'retail':
      return { ...base, outcome: 'refused', text: 'a genuine host refuses a retail group' };
    case 'no-key':
      return {
        ...base,
        outcome: 'unknown',
        text: `not predictable: no ${a.application} host key answered a probe (if none is installed: ${a.fix.text})`,
        fix: a.fix,
      };
    case 'not-covered':
      return { ...base, outcome: 'refused', text: a.text, fix: a.fix };
    case 'covered':
      if (a.update !== null && a.host !== null) {
        const text = `${a.keys} covers ${product.name} once ${a.host} has ${a.update.kb} (or a later cumulative update)`;
        return { ...base, outcome: 'activates-with-update', update: a.update, text };
      }
      return { ...base, outcome: 'activates', text: `${a.keys} covers ${product.name}` };
    case 'unknown':
      return {
        ...base,
        outcome: 'unknown',
        text: `the model does not know whether ${a.keys} ${a.verb} ${product.name}: probe it`,
      };
  }
}

/** The verdict for one product on a host whose probes (all products of the sweep) are given. */
export function coverageVerdict(
  profile: HostProfile,
  probes: HostProbes,
  product: ProductRef,
): CoverageVerdict {
  const outcome = probes.get(product.slug);
  if (outcome === undefined) return predicted(profile, product);
  if (outcome.status === 'refused') return refused(profile, product);
  const csvlk = outcome.epid?.csvlk ?? null;
  return {
    kind: 'activates',
    product: product.slug,
    csvlk,
    text:
      csvlk === null
        ? 'answered (host key not identified)'
        : `answered with host key ${csvlk.name}`,
  };
}

export interface CoverageMatrix {
  profile: HostProfile;
  verdicts: readonly CoverageVerdict[];
}

/** A host's verdict for every product given (normally every built-in group). */
export function coverageMatrix(
  probes: HostProbes,
  products: readonly ProductRef[],
): CoverageMatrix {
  const profile = hostProfile(probes);
  return { profile, verdicts: products.map((p) => coverageVerdict(profile, probes, p)) };
}
