/**
 * The status page's verdict per domain, read from its HTML: the severity class of each
 * row of the matrix on `/` (what its colour and tag show), keyed by the domain name it
 * links. Beyond FIRST_SCREEN (8) domains the unfiltered matrix folds rows into one
 * summary line per status ("⚠ 4 more warning: a, b, …"): each domain named there takes
 * that line's status (a line names up to 8).
 */
export function pageVerdicts(page: string): Map<string, string> {
  const out = new Map<string, string>();
  const row =
    /<tr class="(ok|warning|critical|unknown)">\s*<th[^>]*>\s*<a href="domain\/[^"]*">([^<\s]+)<\/a>/g;
  for (const m of page.matchAll(row)) out.set(m[2]!, m[1]!);
  const summary = /<tr class="more (ok|warning|critical|unknown)">([\s\S]*?)<\/tr>/g;
  for (const m of page.matchAll(summary)) {
    for (const link of m[2]!.matchAll(/<a href="domain\/[^"]*">([^<\s]+)<\/a>/g)) {
      out.set(link[1]!, m[1]!);
    }
  }
  return out;
}
