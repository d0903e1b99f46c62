// V8 keeps every module's source text on the heap, one byte per character only when all of
// it is Latin-1; one character beyond (a "—" in a status page template) doubles the string.
// scripts/bundle-cli.mjs writes such characters of src/ as escapes: every file it emits
// must stay one-byte text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

test('every bundle file of the CLI is Latin-1 text, stored one byte per character', () => {
  const files = readdirSync(DIST).filter((f) => /^cli.*\.js$/.test(f));
  assert.ok(files.length > 1, 'dist/ holds the bundle (npm run build)');
  for (const file of files) {
    const text = readFileSync(join(DIST, file), 'utf8');
    const beyond = /[\u0100-\uffff]/.exec(text);
    assert.equal(
      beyond,
      null,
      `${file}: ${JSON.stringify(beyond?.[0])} at ${beyond?.index}: …${text.slice(Math.max(0, (beyond?.index ?? 0) - 40), (beyond?.index ?? 0) + 10)}…`,
    );
  }
});
