/**
 * A cache of values made once per key, for keys a peer chooses (ePIDs, builds, GUIDs,
 * time slots): when it holds `max` entries it starts again, so a peer that varies its
 * input costs the work the cache saves, never unbounded memory. Values may be null (a
 * text that does not parse is remembered as such); undefined is "not cached".
 */
export class BoundedCache<K, V extends object | string | number | boolean | bigint | null> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Stores `value` for `key` (emptying the cache first when full) and returns it. */
  add(key: K, value: V): V {
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
