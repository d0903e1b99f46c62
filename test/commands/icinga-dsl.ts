/**
 * Enough of the Icinga 2 configuration language to read deploy/nagios/kms-monitor.conf:
 * comments, strings, numbers, durations, booleans, arrays, dictionaries, `a.b = value`
 * assignments, `object T "name" { ... }` and `apply T "name" { ... }` blocks, `import`
 * and `assign where` lines (kept as text). Anything else throws, so the shipped file
 * cannot drift into syntax this reader skips silently.
 */
export type DslValue = string | number | boolean | DslValue[] | { [key: string]: DslValue };

export interface DslBlock {
  kind: 'object' | 'apply';
  type: string;
  name: string;
  attrs: Record<string, DslValue>;
  imports: string[];
  assign: string[];
}

type Token = { t: 'str' | 'word' | 'num' | 'punct'; v: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    let m: RegExpExecArray | null;
    if (
      (m = /^\s+/.exec(rest)) ||
      (m = /^\/\/[^\n]*/.exec(rest)) ||
      (m = /^\/\*[\s\S]*?\*\//.exec(rest))
    ) {
      i += m[0].length;
    } else if ((m = /^"((?:[^"\\]|\\.)*)"/.exec(rest))) {
      tokens.push({ t: 'str', v: m[1]!.replace(/\\(.)/g, '$1') });
      i += m[0].length;
    } else if ((m = /^\d+(?:\.\d+)?(?:ms|s|m|h|d)?/.exec(rest))) {
      tokens.push({ t: 'num', v: m[0] });
      i += m[0].length;
    } else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      tokens.push({ t: 'word', v: m[0] });
      i += m[0].length;
    } else if ((m = /^(==|[{}[\]=,.])/.exec(rest))) {
      tokens.push({ t: 'punct', v: m[0] });
      i += m[0].length;
    } else {
      throw new Error(`icinga-dsl: unexpected ${JSON.stringify(rest.slice(0, 20))}`);
    }
  }
  return tokens;
}

const DURATION: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

export function parseIcinga(text: string): DslBlock[] {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const token = tokens[at++];
    if (!token) throw new Error('icinga-dsl: unexpected end');
    return token;
  };
  const expect = (v: string) => {
    const token = next();
    if (token.v !== v) throw new Error(`icinga-dsl: expected ${v}, got ${token.v}`);
  };
  const value = (): DslValue => {
    const token = next();
    if (token.t === 'str') return token.v;
    if (token.t === 'num') {
      const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(token.v)!;
      return Number(m[1]) * (m[2] ? DURATION[m[2]]! : 1);
    }
    if (token.t === 'word' && (token.v === 'true' || token.v === 'false'))
      return token.v === 'true';
    if (token.v === '[') {
      const items: DslValue[] = [];
      while (peek()?.v !== ']') {
        items.push(value());
        if (peek()?.v === ',') next();
      }
      next();
      return items;
    }
    if (token.v === '{') {
      const dict: Record<string, DslValue> = {};
      while (peek()?.v !== '}') {
        const key = next();
        if (key.t !== 'str' && key.t !== 'word') throw new Error(`icinga-dsl: bad key ${key.v}`);
        expect('=');
        dict[key.v] = value();
      }
      next();
      return dict;
    }
    throw new Error(`icinga-dsl: unexpected value ${token.v}`);
  };
  const blocks: DslBlock[] = [];
  while (at < tokens.length) {
    const kind = next().v;
    if (kind !== 'object' && kind !== 'apply') throw new Error(`icinga-dsl: unexpected ${kind}`);
    const type = next().v;
    const name = next().v;
    expect('{');
    const block: DslBlock = { kind, type, name, attrs: {}, imports: [], assign: [] };
    while (peek()?.v !== '}') {
      const first = next();
      if (first.v === 'import') {
        block.imports.push(next().v);
        continue;
      }
      if (first.v === 'assign') {
        expect('where');
        const words: string[] = [];
        while (
          tokens[at] &&
          !/^(vars|import|assign|check_command)$/.test(tokens[at]!.v) &&
          tokens[at]!.v !== '}'
        ) {
          words.push(next().v);
        }
        block.assign.push(words.join(' '));
        continue;
      }
      let path = first.v;
      while (peek()?.v === '.') {
        next();
        path += `.${next().v}`;
      }
      expect('=');
      block.attrs[path] = value();
    }
    next();
    blocks.push(block);
  }
  return blocks;
}

/**
 * The command line Icinga 2 builds from a CheckCommand and the service's variables
 * (Icinga 2 docs, "Command Arguments"): arguments in `order` (then key) order; a value's
 * `$var$` macros resolved from the variables; an argument whose macro is unset left out;
 * an array value repeats the key (`repeat_key`, default true); `skip_key` drops the key.
 */
export function icingaCommandLine(command: DslBlock, vars: Record<string, DslValue>): string[] {
  const argv = [...(command.attrs.command as string[])];
  const args = Object.entries(
    (command.attrs.arguments ?? {}) as Record<string, Record<string, DslValue>>,
  );
  // Icinga sorts by order, then by key as bytes (as a real icinga2 2.13 daemon was seen to).
  args.sort(
    ([a, x], [b, y]) => Number(x.order ?? 0) - Number(y.order ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
  );
  for (const [key, spec] of args) {
    const template = spec.value;
    if (typeof template !== 'string') throw new Error(`argument ${key}: value must be a string`);
    const whole = /^\$([a-z_.]+)\$$/.exec(template);
    if (whole) {
      const v = vars[whole[1]!];
      if (v === undefined) continue;
      const values = Array.isArray(v) ? v : [v];
      if (spec.repeat_key === false) throw new Error('repeat_key = false is not used here');
      for (const item of values) argv.push(...(spec.skip_key ? [] : [key]), String(item));
      continue;
    }
    let missing = false;
    const text = template.replace(/\$([a-z_.]+)\$/g, (_, name: string) => {
      const v = vars[name];
      if (v === undefined) missing = true;
      return v === undefined ? '' : String(v);
    });
    if (missing) continue;
    argv.push(...(spec.skip_key ? [] : [key]), text);
  }
  return argv;
}

/** `vars.x` attributes of a block, as `{ x }`. */
export function varsOf(block: DslBlock): Record<string, DslValue> {
  return Object.fromEntries(
    Object.entries(block.attrs)
      .filter(([k]) => k.startsWith('vars.'))
      .map(([k, v]) => [k.slice(5), v]),
  );
}
