/**
 * The status page's verdict per domain, read from its HTML: the severity class of each
 * row of the matrix on `/` (what its colour and tag show), keyed by the domain name it
 * links. Every row is there while the estate has at most FIRST_SCREEN (12) domains.
 */
export function pageVerdicts(page: string): Map<string, string> {
  const out = new Map<string, string>();
  const row =
    /<tr class="(ok|warning|critical|unknown)">\s*<th[^>]*>\s*<a href="domain\/[^"]*">([^<\s]+)<\/a>/g;
  for (const m of page.matchAll(row)) out.set(m[2]!, m[1]!);
  return out;
}
