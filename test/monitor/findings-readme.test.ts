// The README's findings table is the catalogue: every code with its severity and the
// error its clients see, and no code the catalogue does not define.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FINDINGS, FINDING_CODES } from '../../src/monitor/findings.js';
import { REPO } from '../helpers/cli.js';

test('the README lists every finding, with its severity and what clients see', () => {
  const readme = readFileSync(`${REPO}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Findings'), readme.indexOf('## Status page'));
  const rows = [...section.matchAll(/^\| `([a-z_]+)` +\| (\w+) +\| (\S+) +\|/gm)].map((m) => [
    m[1],
    m[2],
    m[3],
  ]);
  assert.deepEqual(
    rows,
    FINDING_CODES.map((c) => [c, FINDINGS[c].severity, FINDINGS[c].clientsSee ?? '—']),
  );
});
