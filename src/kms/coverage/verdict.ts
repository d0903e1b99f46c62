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

function updateFor(profile: HostProfile, product: ProductRef): HostUpdate | null {
  return profile.running === null ? null : requiredUpdate(profile.running.id, product.slug);
}

function refused(profile: HostProfile, product: ProductRef): CoverageVerdict {
  const base = { kind: 'refused' as const, product: product.slug };
  if (!product.kmsActivatable) {
    return {
      ...base,
      reason: 'not-volume',
      text: 'refused, as every genuine host refuses a retail group',
      fix: null,
    };
  }
  const keys = keysOf(profile, product);
  if (keys.length === 0) {
    const fix = planFix(profile, product);
    const app = product.counter === null ? 'matching' : APPLICATION_NAMES[product.counter];
    return {
      ...base,
      reason: 'no-key-seen',
      text: `no ${app} host key answered a probe: ${fix.text}`,
      fix,
    };
  }
  if (coverageOf(keys, product) === 'covered') {
    const update = updateFor(profile, product);
    if (update !== null && profile.running !== null) {
      const text =
        `${hostKeys(keys)} covers ${product.name}, but ${describeHost(profile, profile.running)} ` +
        `needs ${update.kb} to activate it: install ${update.kb} (or a later cumulative update)`;
      const fix: Fix = {
        installCsvlk: null,
        pack: null,
        update,
        needsHostOs: null,
        text: `install ${update.kb}`,
      };
      return { ...base, reason: 'needs-update', text, fix };
    }
    return {
      ...base,
      reason: 'unexplained',
      text: `${hostKeys(keys)} should cover ${product.name}, yet the host refused it: check its keys with slmgr /dlv all`,
      fix: null,
    };
  }
  const fix = planFix(profile, product);
  const verb = keys.length > 1 ? 'do' : 'does';
  return {
    ...base,
    reason: 'key-does-not-cover',
    text: `${hostKeys(keys)} ${verb} not cover ${product.name}: ${fix.text}`,
    fix,
  };
}

function predicted(profile: HostProfile, product: ProductRef): CoverageVerdict {
  const base = { kind: 'predicted' as const, product: product.slug };
  if (!product.kmsActivatable) {
    return {
      ...base,
      outcome: 'refused',
      update: null,
      text: 'a genuine host refuses a retail group',
      fix: null,
    };
  }
  const keys = keysOf(profile, product);
  if (keys.length === 0) {
    const fix = planFix(profile, product);
    const app = product.counter === null ? 'matching' : APPLICATION_NAMES[product.counter];
    return {
      ...base,
      outcome: 'unknown',
      update: null,
      text: `not predictable: no ${app} host key answered a probe (if none is installed: ${fix.text})`,
      fix,
    };
  }
  const coverage = coverageOf(keys, product);
  if (coverage === 'covered') {
    const update = updateFor(profile, product);
    if (update !== null && profile.running !== null) {
      const text = `${hostKeys(keys)} covers ${product.name} once ${describeHost(profile, profile.running)} has ${update.kb} (or a later cumulative update)`;
      return { ...base, outcome: 'activates-with-update', update, text, fix: null };
    }
    return {
      ...base,
      outcome: 'activates',
      update: null,
      text: `${hostKeys(keys)} covers ${product.name}`,
      fix: null,
    };
  }
  if (coverage === 'not-covered') {
    const fix = planFix(profile, product);
    const verb = keys.length > 1 ? 'do' : 'does';
    return {
      ...base,
      outcome: 'refused',
      update: null,
      text: `${hostKeys(keys)} ${verb} not cover ${product.name}: ${fix.text}`,
      fix,
    };
  }
  return {
    ...base,
    outcome: 'unknown',
    update: null,
    text: `the model does not know whether ${hostKeys(keys)} cover${keys.length > 1 ? '' : 's'} ${product.name}: probe it`,
    fix: null,
  };
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
