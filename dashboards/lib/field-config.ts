/** Pieces of panel field configuration several panels share: thresholds, value mappings, overrides. */
import type { Json, JsonObject } from './json.js';

/** Threshold steps as [from value (null: the base), colour]. */
export type Steps = Array<[number | null, string]>;

export const thresholds = (steps: Steps): JsonObject => ({
  mode: 'absolute',
  steps: steps.map(([value, color]) => ({ color, value })),
});

export const upDownMappings: Json[] = [
  {
    type: 'value',
    options: {
      '0': { color: 'red', index: 0, text: 'down' },
      '1': { color: 'green', index: 1, text: 'up' },
    },
  },
];

export const okFailMappings = (ok: string, fail: string): Json[] => [
  {
    type: 'value',
    options: {
      '0': { color: 'red', index: 0, text: fail },
      '1': { color: 'green', index: 1, text: ok },
    },
  },
];

export const byName = (name: string, properties: Json[]): Json => ({
  matcher: { id: 'byName', options: name },
  properties,
});

export const colorBackground: Json = {
  id: 'custom.cellOptions',
  value: { type: 'color-background' },
};

/** Hides the columns every instant table query carries but nobody needs. */
export function organize(
  renameByName: Record<string, string> = {},
  extraExcludes: string[] = [],
): Json {
  const excludeByName: JsonObject = { Time: true, __name__: true, job: true, instance: true };
  for (const name of extraExcludes) excludeByName[name] = true;
  return {
    id: 'organize',
    options: { excludeByName, indexByName: {}, renameByName },
  };
}
