/**
 * Turns one pino JSON line into one logfmt line (`ts=… level=info msg="…" key=value`),
 * the format Prometheus and its exporters log in. Nested objects are flattened with dots.
 */
const BARE = /^[^\s"=\\]+$/;

function quote(value: string): string {
  return BARE.test(value) ? value : JSON.stringify(value);
}

function flatten(prefix: string, value: unknown, out: string[]): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
    return;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  out.push(`${prefix}=${quote(text)}`);
}

export function toLogfmt(jsonLine: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine;
  }
  const { time, level, msg, ...rest } = record;
  const out: string[] = [];
  flatten('ts', time, out);
  flatten('level', level, out);
  flatten('msg', msg, out);
  flatten('', rest, out);
  return `${out.join(' ')}\n`;
}
