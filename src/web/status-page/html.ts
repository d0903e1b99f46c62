/**
 * HTML built from tagged templates that escape every interpolated value unless it is
 * already markup made here. Whatever came from DNS or a KMS host (names, ePIDs, error
 * texts, HWIDs) is a plain string, so it can only ever end up as text: a hostile host
 * cannot close an attribute or open a tag.
 *
 * Rule for templates: every attribute value is double-quoted, and no interpolation sits
 * inside a tag name, an event handler, a style or a script. URLs are built by
 * `hrefTo()` from fixed paths plus encodeURIComponent.
 */

/** Markup produced by `html` (or a trusted constant); interpolated as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue =
  SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

const SPECIAL = /[&<>"'`]/;
const SPECIAL_ALL = /[&<>"'`]/g;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Control characters and bidirectional overrides are harmless to the parser but let a
 * host name or ePID look like something else (U+202E reverses the text that follows), so
 * they are shown as visible `\u{…}` escapes. Tab and newline stay.
 */
const INVISIBLE = /(?![\t\n])[\p{Cc}\p{Cf}\u2028\u2029]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');
/** Printable ASCII without the specials, tab, newline: text that needs no work at all. */
const NEEDS_WORK = /[^ !#-%(-;=?-_a-~\t\n]/;

/** `text` as HTML text or a double-quoted attribute value. */
export function escapeHtml(text: string): string {
  // Most values (numbers, slugs, host names, ePIDs) are plain ASCII; one cheap test lets
  // them through and keeps a 1,000-host page fast.
  if (!NEEDS_WORK.test(text)) return text;
  let out = text;
  if (INVISIBLE.test(out)) {
    out = out.replace(INVISIBLE_ALL, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
  }
  if (SPECIAL.test(out)) out = out.replace(SPECIAL_ALL, (c) => ENTITIES[c] ?? c);
  return out;
}

/**
 * The templates are indented for people; the page need not be. A newline with the
 * indentation around it becomes one newline — the same to an HTML parser outside <pre>,
 * which the templates never use — once per template (the strings array is the same
 * object on every call from one place in the source).
 */
const compacted = new WeakMap<TemplateStringsArray, readonly string[]>();

function compact(strings: TemplateStringsArray): readonly string[] {
  let parts = compacted.get(strings);
  if (parts === undefined) {
    parts = strings.map((s) => s.replace(/[ \t]*\n\s*/g, '\n'));
    compacted.set(strings, parts);
  }
  return parts;
}

function append(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    let out = '';
    for (const item of value as readonly HtmlValue[]) out += append(item);
    return out;
  }
  return ''; // null, undefined, false: conditional parts that are absent
}

/** The tag: html`<p>${untrusted}</p>` escapes `untrusted`; nested html`` stays markup. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  const parts = compact(strings);
  let out = parts[0] ?? '';
  for (let i = 0; i < values.length; i++) out += append(values[i]) + (parts[i + 1] ?? '');
  return new SafeHtml(out);
}

/** A constant this module's callers wrote themselves (never data). */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Several fragments joined with a separator (the separator is trusted markup). */
export function join(items: readonly HtmlValue[], separator: string): SafeHtml {
  return new SafeHtml(items.map(append).join(separator));
}
