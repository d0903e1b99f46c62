/**
 * The target flags that replace a configuration key, in one list. Zod-free on purpose:
 * common-flags.ts asks `hasKeyReplacingFlags` on every `check`, `coverage` and `serve` run
 * to decide whether the schema library must load at all (./cached-config.ts: why), while
 * apply-target-flags.ts, which does load it, keys its appliers by the same list, so a flag
 * added here without an applier is a type error and one applied there is always noticed here.
 */

/** Flag → the configuration key it replaces. */
export const KEY_REPLACING_FLAGS = {
  domain: 'domains',
  host: 'hosts',
  resolver: 'resolvers',
  product: 'products',
  timeout: 'timeout',
} as const;

export type KeyReplacingFlag = keyof typeof KEY_REPLACING_FLAGS;

/** The target flags as the parsers give them: the key-replacing ones and the two file paths. */
export interface TargetFlags {
  'config.file'?: string;
  'dns.resolv-conf'?: string;
  domain?: string[];
  host?: string[];
  resolver?: string[];
  product?: string[];
  timeout?: string;
}

/** Whether the flag was given: a repeatable one at least once, a single one at all. */
export function flagGiven(value: string | readonly string[] | undefined): boolean {
  return typeof value === 'string' || (value !== undefined && value.length > 0);
}

/** Whether any flag replaces a configuration key (applying one needs the schema). */
export function hasKeyReplacingFlags(flags: TargetFlags): boolean {
  return (Object.keys(KEY_REPLACING_FLAGS) as KeyReplacingFlag[]).some((flag) =>
    flagGiven(flags[flag]),
  );
}
