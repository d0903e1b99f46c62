/**
 * Reads plugin output as Nagios and Icinga 2 do (Monitoring Plugins guidelines, "Plugin
 * output"): line 1 is the status text with optional perfdata after `|`; the following
 * lines are long text until a line holding `|`, after which everything is perfdata.
 * Perfdata is split strictly by its grammar, `'label'=value[UOM];[warn];[crit];[min];[max]`
 * with `''` for a quote inside a quoted label; anything that does not fit throws, so a
 * test fails on perfdata a real parser would choke on.
 */
export interface PerfdataItem {
  label: string;
  value: number;
  uom: string;
  warn: string;
  crit: string;
  min: string;
  max: string;
}

export interface PluginOutput {
  status: string;
  longText: string[];
  perfdata: PerfdataItem[];
}

const ITEM =
  /('(?:[^']|'')+'|[^\s'=]+)=(-?\d+(?:\.\d+)?|U)([a-zA-Z%]*)(?:;([^;\s]*))?(?:;([^;\s]*))?(?:;([^;\s]*))?(?:;([^;\s]*))?/y;
const RANGE = /^(@?(~|-?\d+(\.\d+)?)?:?(-?\d+(\.\d+)?)?)?$/;

export function parsePerfdata(text: string): PerfdataItem[] {
  const items: PerfdataItem[] = [];
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at] ?? '')) at++;
    if (at >= text.length) return items;
    ITEM.lastIndex = at;
    const m = ITEM.exec(text);
    if (m === null) throw new Error(`perfdata does not parse at ${JSON.stringify(text.slice(at))}`);
    at = ITEM.lastIndex;
    if (at < text.length && !/\s/.test(text[at] ?? '')) {
      throw new Error(`perfdata item runs on at ${JSON.stringify(text.slice(at))}`);
    }
    const raw = m[1] ?? '';
    const label = raw.startsWith("'") ? raw.slice(1, -1).replaceAll("''", "'") : raw;
    const [warn, crit] = [m[4] ?? '', m[5] ?? ''];
    for (const range of [warn, crit]) {
      if (!RANGE.test(range)) throw new Error(`not a threshold range: ${JSON.stringify(range)}`);
    }
    items.push({
      label,
      value: m[2] === 'U' ? NaN : Number(m[2]),
      uom: m[3] ?? '',
      warn,
      crit,
      min: m[6] ?? '',
      max: m[7] ?? '',
    });
  }
}

export function parsePluginOutput(stdout: string): PluginOutput {
  const lines = stdout.replace(/\n$/, '').split('\n');
  const first = lines[0] ?? '';
  const bar = first.indexOf('|');
  const status = (bar < 0 ? first : first.slice(0, bar)).trimEnd();
  const perfText: string[] = bar < 0 ? [] : [first.slice(bar + 1)];
  const longText: string[] = [];
  let inPerf = false;
  for (const line of lines.slice(1)) {
    if (inPerf) {
      perfText.push(line);
      continue;
    }
    const at = line.indexOf('|');
    if (at < 0) {
      longText.push(line);
      continue;
    }
    longText.push(line.slice(0, at).trimEnd());
    perfText.push(line.slice(at + 1));
    inPerf = true;
  }
  return { status, longText, perfdata: perfText.flatMap(parsePerfdata) };
}
