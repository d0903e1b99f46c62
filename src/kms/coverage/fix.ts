/**
 * The shortest fix for a product a host cannot activate (docs/coverage.md §6): the key to
 * install (and the Office Volume License Pack first), the update the host needs, or the
 * releases that could host a key that covers it.
 */
import type { HostOs } from '../host-os.js';
import { csvlkCovers, csvlkHostableOnOs, type ProductRef } from './csvlk-facts.js';
import { CSVLKS } from './csvlk-table.js';
import { requiredUpdate, type HostUpdate } from './host-updates.js';
import type { HostProfile } from './host-profile.js';
import type { Csvlk, HostSpec, OfficePack } from './types.js';
import { describeHost, describeReleases } from './wording.js';

export interface Fix {
  /** The key to install; null when none can go on this host, or none covers the product. */
  installCsvlk: Csvlk | null;
  /** The Office Volume License Pack to install before the key. */
  pack: OfficePack | null;
  /** The update the host needs before it activates the product. */
  update: HostUpdate | null;
  /** When no covering key can be installed here: the releases that could host one. */
  needsHostOs: readonly HostSpec[] | null;
  text: string;
}

/** Customer keys covering the product, newest first (the table's order). */
export function coveringKeys(product: ProductRef): Csvlk[] {
  return CSVLKS.filter(
    (c) => c.kind === 'customer' && csvlkCovers(c, product).status === 'covered',
  );
}

function updateClause(update: HostUpdate | null): string {
  return update === null ? '' : ` after ${update.kb} (or a later cumulative update)`;
}

function installClause(key: Csvlk, update: HostUpdate | null): string {
  const pack =
    key.pack === undefined
      ? ''
      : `the ${key.pack.name}${key.pack.url === null ? '' : ` (${key.pack.url})`} and `;
  return `install ${pack}the ${key.name} CSVLK${updateClause(update)}`;
}

function fix(
  key: Csvlk | null,
  update: HostUpdate | null,
  text: string,
  needs: readonly HostSpec[] | null = null,
): Fix {
  return { installCsvlk: key, pack: key?.pack ?? null, update, needsHostOs: needs, text };
}

/**
 * The update a host needs before a key activates a product: the product's own, or the one
 * the key's release needs (a key's id is the slug of its release's group, so Server 2019
 * taking the Server 2025 key needs KB5034768 even to serve Server 2022). Of two, the later
 * is a cumulative update that carries the earlier.
 */
export function updateBefore(running: HostOs, product: ProductRef, key: Csvlk): HostUpdate | null {
  const a = requiredUpdate(running.id, product.slug);
  const b = requiredUpdate(running.id, key.id);
  if (a === null || b === null) return a ?? b;
  return (a.date ?? '') >= (b.date ?? '') ? a : b;
}

/** The fix that installs `key` on the host that runs `running`, after the update it needs. */
function installOn(running: HostOs, product: ProductRef, key: Csvlk, why: string): Fix {
  const update = updateBefore(running, product, key);
  return fix(key, update, `${installClause(key, update)}; ${why}`);
}

/** The fix for a host that runs `running` (or an unknown release when null). */
export function planFix(profile: HostProfile, product: ProductRef): Fix {
  const keys = coveringKeys(product);
  const newest = keys[0];
  if (newest === undefined) {
    return fix(null, null, `no host key in the model covers ${product.name}`);
  }
  const running: HostOs | null = profile.running;
  if (running === null || profile.build === null) {
    const key = newest;
    const where = describeReleases(key.hosting.allowed);
    return fix(
      key,
      null,
      `${installClause(key, null)}${where === '' ? '' : ` (it can be hosted on ${where})`}`,
    );
  }
  const build = profile.build;
  const host = describeHost(profile, running);
  const hostable = keys.find((k) => csvlkHostableOnOs(k, running, build).status === 'yes');
  if (hostable !== undefined) {
    return installOn(running, product, hostable, `this host runs ${host}, which can host it`);
  }
  const maybe = keys.find((k) => csvlkHostableOnOs(k, running, build).status === 'unknown');
  if (maybe !== undefined) {
    const why = `whether this host, which runs ${host}, can host it is not in the model`;
    return installOn(running, product, maybe, why);
  }
  const needs: HostSpec[] = [];
  for (const k of keys) {
    for (const spec of k.hosting.allowed) {
      const id = typeof spec === 'string' ? spec : spec.os;
      if (!needs.some((s) => (typeof s === 'string' ? s : s.os) === id)) needs.push(spec);
    }
  }
  return fix(
    null,
    null,
    `${product.name} cannot be hosted on ${host}: needs ${describeReleases(needs)}`,
    needs,
  );
}
