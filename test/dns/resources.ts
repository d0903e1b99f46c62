/**
 * Leak checks for tests: the active handles and requests (sockets, servers, timers) after
 * a piece of work must be no more than before it.
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
  // Only what is there now and was not before is a leak: a request that was pending at
  // the start (a module file still being read, say) may well have finished meanwhile.
  const remaining = new Map<string, number>();
  for (const name of before) remaining.set(name, (remaining.get(name) ?? 0) + 1);
  const added = activeResources().filter((name) => {
    const left = remaining.get(name) ?? 0;
    remaining.set(name, left - 1);
    return left <= 0;
  });
  assert.deepEqual(added, [], 'a socket or timer was left open');
  return result;
}
