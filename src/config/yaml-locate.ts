/**
 * Maps a key path (as zod reports it) back to a line and column in the YAML source, so
 * an error can point at the line the admin has to fix. When the path does not exist
 * (a required key is missing), the nearest existing parent is reported instead.
 */
import { isMap, isSeq, isScalar, type Document, type LineCounter, type Node } from 'yaml';

export type KeyPath = ReadonlyArray<PropertyKey>;

export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

interface Position {
  line: number;
  col: number;
}

/** The position of the value at `path`, or of its key when `atKey` (unknown keys). */
export function locate(
  doc: Document,
  lines: LineCounter,
  path: KeyPath,
  atKey?: string,
): Position | undefined {
  let node: unknown = doc.contents;
  let best: Node | undefined = (doc.contents as Node | null) ?? undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) break;
      node = pair.value;
      best = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      if (!node) break;
      best = node as Node;
    } else {
      break;
    }
  }
  if (atKey !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === atKey);
    if (pair && isScalar(pair.key) && pair.key.range) return lines.linePos(pair.key.range[0]);
  }
  const offset = best?.range?.[0];
  return offset === undefined ? undefined : lines.linePos(offset);
}
