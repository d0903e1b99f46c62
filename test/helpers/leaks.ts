/**
 * Leak checks for tests: the sockets, servers and timers a piece of work leaves behind.
 *
 * A check compares what is active now against what was active before, as a multiset:
 * only what is there now and was not before is a leak. A request that was pending at the
 * start (a module file being read, a handle the test runner was closing: FSReq, CloseReq)
 * may well have finished meanwhile, and that is no reason to fail.
 */
import assert from 'node:assert/strict';

/** Lets libuv run its close callbacks, so handles closed just now are really gone. */
export async function settleHandles(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

export function activeResources(): string[] {
  return process.getActiveResourcesInfo().slice().sort();
}

/** What is active now and was not in `before` (each name counted as often as it appears). */
export function leftOpen(before: readonly string[]): string[] {
  const remaining = new Map<string, number>();
  for (const name of before) remaining.set(name, (remaining.get(name) ?? 0) + 1);
  return activeResources().filter((name) => {
    const left = remaining.get(name) ?? 0;
    remaining.set(name, left - 1);
    return left <= 0;
  });
}

/** Asserts that nothing is active that was not in `before`. */
export async function assertNothingLeftOpen(
  before: readonly string[],
  message = 'a socket or timer was left open',
): Promise<void> {
  await settleHandles();
  assert.deepEqual(leftOpen(before), [], message);
}

/** Runs `work` and asserts it left no socket, server or timer behind. */
export async function withoutLeaks<T>(work: () => Promise<T>): Promise<T> {
  await settleHandles();
  const before = activeResources();
  const result = await work();
  await assertNothingLeftOpen(before);
  return result;
}
