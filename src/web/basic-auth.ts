/**
 * HTTP basic authentication against bcrypt hashes. bcrypt is deliberately slow, so a
 * verified (user, password) pair is remembered by its SHA-256 for a while; unknown users
 * still pay one bcrypt comparison so that response time does not reveal valid names.
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';

const CACHE_LIMIT = 256;
const CACHE_TTL_MS = 5 * 60_000;
// A hash of a random password with the usual cost, compared against for unknown users.
const DUMMY_HASH = '$2b$10$Cwv5lqcVn9FhMEqkH3OTPeXWwKeeoNKKcsHsqBrXcfMwDFRq1nbTC';

export class BasicAuthenticator {
  private readonly verified = new Map<string, number>();

  constructor(private readonly users: ReadonlyMap<string, string>) {}

  get enabled(): boolean {
    return this.users.size > 0;
  }

  /** True when the Authorization header names a user whose password matches. */
  async check(authorization: string | undefined): Promise<boolean> {
    const credentials = parseBasic(authorization);
    if (!credentials) return false;
    const { user, password } = credentials;
    const hash = this.users.get(user);
    const cacheKey = createHash('sha256')
      .update(`${user}\0${password}\0${hash ?? ''}`)
      .digest('hex');
    const until = this.verified.get(cacheKey);
    if (until !== undefined && until > Date.now()) return true;
    // Normalise $2y$ (PHP/htpasswd) to $2b$: the algorithm is the same.
    const ok = await bcrypt.compare(password, (hash ?? DUMMY_HASH).replace(/^\$2y\$/, '$2b$'));
    if (!ok || hash === undefined) return false;
    if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
    this.verified.set(cacheKey, Date.now() + CACHE_TTL_MS);
    return true;
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
