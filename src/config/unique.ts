/**
 * Duplicate detection for configuration lists. The values are already canonical (the
 * schema's transforms ran first), so `Corp.Example.` and `corp.example` collide here. The
 * issue sits on the repeated entry and carries the index of the first one in
 * `params.duplicateOf`, which the YAML loader turns into that entry's line.
 */
import type { z } from 'zod';

export function uniqueBy<T>(key: (item: T) => string, what: string) {
  return (items: T[], ctx: z.RefinementCtx): void => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first === undefined) {
        seen.set(k, i);
        return;
      }
      ctx.addIssue({
        code: 'custom',
        path: [i],
        message: `duplicate ${what} ${JSON.stringify(k)}: entry ${i + 1} names the same ${what} as entry ${first + 1}; list each ${what} once`,
        params: { duplicateOf: first },
      });
    });
  };
}
