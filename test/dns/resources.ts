/**
 * Leak checks for tests: the multiset of active handles and requests (sockets, servers,
 * timers) before and after a piece of work must be equal.
 */
import assert from 'node:assert/strict';

/** Lets libuv run its close callbacks, so handles closed just now are really gone. */
export async function settleHandles(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

export function activeResources(): string[] {
  return process.getActiveResourcesInfo().slice().sort();
}

/** Runs `work` and asserts it left no socket, server or timer behind. */
export async function withoutLeaks<T>(work: () => Promise<T>): Promise<T> {
  await settleHandles();
  const before = activeResources();
  const result = await work();
  await settleHandles();
  assert.deepEqual(activeResources(), before, 'a socket or timer was left open');
  return result;
}
