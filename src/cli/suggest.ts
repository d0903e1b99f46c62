/**
 * "Did you mean": the known words nearest to a mistyped one, for unknown flags and unknown
 * product slugs. Nearness is the optimal-string-alignment edit distance (insertions,
 * deletions, substitutions and swaps of neighbours, each costing 1), so `--prodcut` finds
 * `--product` and `windows-11` finds `windows-10-11`. Only a few close words are offered:
 * listing every known word buries the one the user wanted.
 */

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the transposition step looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      }
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? 0;
}

export interface SuggestOptions {
  /** At most this many suggestions (default 3). */
  limit?: number;
}

const tokens = (word: string): string[] => word.split(/[-._]+/).filter((t) => t !== '');

/**
 * The known words close to `input`, nearest first (ties alphabetical): those within an
 * edit distance of a third of the longer word (at least 2), and those that contain the
 * input or are contained in it (at least 3 characters), as `office` finds `office-2016`.
 * A word holding every dash-separated part of the input (`windows-11` in `windows-10-11`)
 * ranks before words that merely start with it, and those before words that are merely
 * a few edits away (`windows-7`).
 */
export function nearest(
  input: string,
  known: Iterable<string>,
  { limit = 3 }: SuggestOptions = {},
): string[] {
  const typed = input.toLowerCase();
  const scored: Array<{ word: string; score: number }> = [];
  for (const word of new Set(known)) {
    const lower = word.toLowerCase();
    const distance = editDistance(typed, lower);
    const allowed = Math.max(2, Math.floor(Math.max(typed.length, lower.length) / 3));
    const overlaps =
      typed.length >= 3 && lower.length >= 3 && (lower.includes(typed) || typed.includes(lower));
    const parts = tokens(typed);
    const wordParts = new Set(tokens(lower));
    const holdsParts = parts.length > 1 && parts.every((t) => wordParts.has(t));
    if (distance <= allowed || overlaps || holdsParts) {
      // Holding every part beats starting with the input, which beats a few edits.
      const score = holdsParts ? 0.5 : lower.startsWith(typed) && typed.length >= 3 ? 1 : distance;
      scored.push({ word, score });
    }
  }
  scored.sort((x, y) => x.score - y.score || x.word.localeCompare(y.word));
  return scored.slice(0, limit).map((s) => s.word);
}

/** `; did you mean a?` / `; did you mean a, b or c?`, or '' when nothing is close. */
export function didYouMean(input: string, known: Iterable<string>): string {
  const words = nearest(input, known);
  if (words.length === 0) return '';
  const last = words.pop() as string;
  return `; did you mean ${words.length > 0 ? `${words.join(', ')} or ${last}` : last}?`;
}
