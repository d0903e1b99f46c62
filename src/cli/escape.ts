/**
 * Names and messages from the network (SRV targets, ePIDs, resolver errors) are printed by
 * `discover`, `probe` and `check`. A hostile zone or host could otherwise move the cursor,
 * recolour or clear the terminal (ESC sequences), cut a line (NUL, CR), start a new one
 * (a fake Nagios status line), or reorder text (bidi overrides). Every such character is
 * shown as a visible escape instead; the backslash itself is doubled so the escaped text
 * cannot be confused with a name that contains a literal `\x1b`.
 */

const NAMED: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\\': '\\\\',
};

/**
 * C0 and C1 controls, DEL, and the invisible Unicode format characters that change how
 * text around them is shown: zero-width characters, bidi marks, embeddings, overrides and
 * isolates, line and paragraph separators, the byte-order mark.
 */
export const UNPRINTABLE_CLASS =
  '\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff';
const UNSAFE = new RegExp(`[${UNPRINTABLE_CLASS}\\\\]`, 'gu');

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u{${code.toString(16).toUpperCase()}}`;
}

/** The text with every control or invisible formatting character shown as an escape. */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}
