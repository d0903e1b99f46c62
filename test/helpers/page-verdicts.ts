/**
 * The status page's verdict per domain, read from its HTML: the severity class of each
 * domain section (what its colour and tag show), keyed by the domain name in its heading.
 */
export function pageVerdicts(page: string): Map<string, string> {
  const out = new Map<string, string>();
  const section =
    /<section\s+class="domain (ok|warning|critical|unknown)"[^>]*>\s*<h3[^>]*>\s*([^<\s]+)/g;
  for (const m of page.matchAll(section)) out.set(m[2]!, m[1]!);
  return out;
}
