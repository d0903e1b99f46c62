// The README's metric table is the user's list of families: exactly the declared ones,
// each with its type and labels, plus one row for prom-client's process metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EXPORTER_FAMILIES, STATE_FAMILIES } from '../../src/metrics/families/index.js';
import { REPO } from '../helpers/cli.js';

const PROCESS_ROW = '`process_*`, `nodejs_*` —';

test('the README metric table lists every declared family with its type and labels', () => {
  const readme = readFileSync(`${REPO}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Metrics'), readme.indexOf('## Status API'));
  const rows = [...section.matchAll(/^\| (.+?) +\| (\S+) +\|/gm)]
    .map((m) => `${m[1]} ${m[2]}`)
    .filter((row) => !row.startsWith('metric ') && !row.startsWith('---'));
  const declared = [...STATE_FAMILIES, ...EXPORTER_FAMILIES].map(
    (f) => `\`${f.name}${f.labels.length === 0 ? '' : `{${f.labels.join(',')}}`}\` ${f.type}`,
  );
  assert.deepEqual(rows.filter((r) => r !== PROCESS_ROW).sort(), declared.sort());
  assert.equal(rows.filter((r) => r === PROCESS_ROW).length, 1, 'the process metrics row');
});
