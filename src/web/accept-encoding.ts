/**
 * Whether a request's Accept-Encoding allows a gzip response (RFC 9110 §12.5.3), for
 * /metrics and the status page alike: a q of 0 refuses a coding, and a coding named
 * explicitly decides over `*` ("gzip;q=0, *" refuses gzip).
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  let named: boolean | null = null;
  let wildcard: boolean | null = null;
  for (const part of text.split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (coding === '*') wildcard ??= allowed;
    else named = (named ?? false) || allowed;
  }
  return named ?? wildcard ?? false;
}
