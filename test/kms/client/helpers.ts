/**
 * Shared pieces of the KMS client tests: a fixed identity, short timeouts, the lab
 * products by slug, and the leak check (sockets and timers before and after a probe).
 */
import { resolveIdentity } from '../../../src/kms/client/index.js';
import type { KmsTimeouts } from '../../../src/kms/client/index.js';
import {
  activeResources,
  assertNothingLeftOpen,
  leftOpen,
  settleHandles,
} from '../../helpers/leaks.js';

/** The identity every test probe uses: one stable CMID, as in production. */
export const TEST_IDENTITY = resolveIdentity({ hostname: 'kms-client-test' });

export const FAST: KmsTimeouts = { connectMs: 1000, bindMs: 500, requestMs: 500, overallMs: 2500 };

/** A lab product by slug (throws for an unknown one). */
export { labProduct as lab } from '../../../src/lab/index.js';

/**
 * Snapshot to compare against after the work. The lab host runs in this process too, and
 * its side of a connection closes when our FIN arrives, a moment after the probe resolved:
 * so the check polls briefly (a real leak never goes away).
 */
export async function snapshot(host?: QuietHost): Promise<string[]> {
  if (host) await quiet(host);
  await settleHandles();
  return activeResources();
}

/** The lab host's side of the connections, when the host is in this process. */
interface QuietHost {
  stats(): { activeConnections: number };
}

/**
 * Waits until the lab host has closed its side of every connection (a paused or delayed
 * session closes only when its timer fires), so only the client's handles are compared.
 */
export async function quiet(host: QuietHost, waitMs = 5000): Promise<void> {
  const until = Date.now() + waitMs;
  while (host.stats().activeConnections > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function assertNoLeaks(
  before: string[],
  host?: QuietHost,
  waitMs = 1000,
): Promise<void> {
  if (host) await quiet(host);
  const until = Date.now() + waitMs;
  await settleHandles();
  while (Date.now() < until) {
    if (leftOpen(before).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await assertNothingLeftOpen(before, 'a socket or timer outlived the probe');
}

/** Milliseconds `work` takes. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}
