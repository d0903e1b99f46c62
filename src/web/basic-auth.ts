/**
 * HTTP basic authentication against bcrypt hashes, hardened like exporter-toolkit's and a
 * little further:
 *
 * - Every outcome is cached by the SHA-256 of (user, password, stored hash): a verified
 *   login in one bounded LRU, a refused one in another. Repeating a guess costs no bcrypt,
 *   and guesses cannot push verified logins out (only the right password gets into that
 *   cache). A changed hash (a reload) is a different key.
 * - Comparisons run in a worker thread, one at a time, with a bounded backlog
 *   (BcryptQueue): beyond it a login answers `busy` (429) at once instead of queueing.
 * - An unknown user is compared against a dummy hash of the configured users' cost, so
 *   it costs what a known user with a wrong password costs: names are not revealed by
 *   timing, nor by the cache or the backlog, which treat both alike.
 */
import { createHash, randomBytes } from 'node:crypto';
import { BcryptQueue } from './auth/bcrypt-queue.js';
import { Lru } from './auth/lru.js';

export type AuthOutcome = 'ok' | 'denied' | 'busy';

const VERIFIED_LIMIT = 256;
const REFUSED_LIMIT = 4096;

/** The cost of a bcrypt hash (`$2y$10$…` → 10). */
export function bcryptCost(hash: string): number {
  return Number(hash.split('$')[2]);
}

/**
 * The cost the dummy hash gets: the most common among the users (the highest on a tie),
 * which is every user's when they share one, as they usually do.
 */
export function dummyCost(users: ReadonlyMap<string, string>): number {
  const counts = new Map<number, number>();
  for (const hash of users.values()) {
    const cost = bcryptCost(hash);
    counts.set(cost, (counts.get(cost) ?? 0) + 1);
  }
  let best = 10;
  let bestCount = 0;
  for (const [cost, count] of counts) {
    if (count > bestCount || (count === bestCount && cost > best)) {
      best = cost;
      bestCount = count;
    }
  }
  return best;
}

export class BasicAuthenticator {
  private readonly verified = new Lru<string, true>(VERIFIED_LIMIT);
  private readonly refused = new Lru<string, true>(REFUSED_LIMIT);
  /** Made once, in the worker, when the authenticator is created. */
  readonly dummyHash: Promise<string> | null;

  constructor(
    private readonly users: ReadonlyMap<string, string>,
    private readonly queue: BcryptQueue = new BcryptQueue(),
  ) {
    this.dummyHash =
      users.size > 0 ? queue.hash(randomBytes(18).toString('base64'), dummyCost(users)) : null;
    // A failure surfaces on the first login that needs it, not as an unhandled rejection.
    this.dummyHash?.catch(() => undefined);
  }

  get enabled(): boolean {
    return this.users.size > 0;
  }

  /**
   * Whether the Authorization header names a user whose password matches; `client` (the
   * peer address) bounds how many comparisons one client may have waiting.
   */
  async check(authorization: string | undefined, client: string): Promise<AuthOutcome> {
    const credentials = parseBasic(authorization);
    if (!credentials) return 'denied';
    const { user, password } = credentials;
    const hash = this.users.get(user);
    const key = createHash('sha256')
      .update(user)
      .update('\0')
      .update(password)
      .update('\0')
      .update(hash ?? '')
      .digest('base64');
    if (this.verified.get(key)) return 'ok';
    if (this.refused.get(key)) return 'denied';
    const against = hash ?? (await this.dummyHash)!;
    const outcome = await this.queue.compare(password, against, client);
    if (outcome === 'busy') return 'busy';
    const ok = outcome === 'match' && hash !== undefined;
    (ok ? this.verified : this.refused).set(key, true);
    return ok ? 'ok' : 'denied';
  }
}

function parseBasic(header: string | undefined): { user: string; password: string } | null {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
