/**
 * The `adba` list of the configuration: forests whose activation objects the read-only
 * LDAP collector lists (docs/adba.md). The entries are checked by src/adba/config.ts, the
 * one validation of a forest; this file only adapts it to the schema: the duration of
 * `timeout` is parsed by the configuration's duration parser first, and each problem
 * becomes an issue at the key it names, so the error points at the line.
 */
import { z } from 'zod';
import {
  ADBA_FOREST_KEYS,
  AdbaConfigError,
  validateAdbaForest,
  type AdbaForestConfig,
} from '../adba/index.js';
import { parseDuration } from './duration.js';

function keyOf(problem: string): string | null {
  if (problem.startsWith('a password is never written')) return 'password';
  const unknown = /^unknown key "([^"]+)"/.exec(problem);
  if (unknown) return unknown[1] ?? null;
  return (
    ADBA_FOREST_KEYS.find((k) => problem.startsWith(`${k} `) || problem.startsWith(`${k}:`)) ?? null
  );
}

function withTimeoutInMs(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return entry;
  const timeout = (entry as { timeout?: unknown }).timeout;
  if (timeout === undefined) return entry;
  if (typeof timeout !== 'string') {
    throw new AdbaConfigError('adba', [
      `timeout must be a duration such as 5s, got ${JSON.stringify(timeout)}`,
    ]);
  }
  try {
    return { ...entry, timeout: parseDuration(timeout) };
  } catch (err) {
    throw new AdbaConfigError('adba', [`timeout ${(err as Error).message}`]);
  }
}

export const adbaForestList = z.array(z.unknown()).transform((entries, ctx): AdbaForestConfig[] => {
  const forests: AdbaForestConfig[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    let forest: AdbaForestConfig;
    try {
      forest = validateAdbaForest(withTimeoutInMs(entry), `adba[${index}]`);
    } catch (err) {
      if (!(err instanceof AdbaConfigError)) throw err;
      // An inline password is named as such, not as one more unknown key.
      const inline = err.problems.some((p) => keyOf(p) === 'password');
      for (const problem of err.problems) {
        if (inline && problem === 'unknown key "password"') continue;
        const key = keyOf(problem);
        let message = problem.startsWith('unknown key') ? 'unknown key' : problem;
        if (key !== null && message.startsWith(`${key} `)) message = message.slice(key.length + 1);
        ctx.addIssue({ code: 'custom', message, path: key === null ? [index] : [index, key] });
      }
      return;
    }
    const first = seen.get(forest.name.toLowerCase());
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `forest name ${JSON.stringify(forest.name)} is used twice`,
        path: [index],
        params: { duplicateOf: first },
      });
      return;
    }
    seen.set(forest.name.toLowerCase(), index);
    forests.push(forest);
  });
  return forests;
});
