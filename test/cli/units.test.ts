// The small pieces every command shares: "did you mean", Nagios ranges, the escaping of
// names from the network, and the command prefix the demo prints.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { didYouMean, editDistance, nearest } from '../../src/cli/suggest.js';
import {
  describeRange,
  parseNagiosRange,
  rangeAlerts,
  shiftRange,
} from '../../src/cli/nagios-range.js';
import { escapeText } from '../../src/cli/escape.js';
import { commandPrefix } from '../../src/cli/invocation.js';
import { knownProductSlugs } from '../../src/cli/products.js';
import { listProducts } from '../../src/kms/products/index.js';

describe('did you mean', () => {
  it('edit distance counts insertions, deletions, substitutions and swaps', () => {
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('product', 'product'), 0);
    assert.equal(editDistance('prodcut', 'product'), 1, 'a swap is one edit');
    assert.equal(editDistance('windows-11', 'windows-10-11'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('a mistyped flag finds the flag', () => {
    const flags = ['--help', '--product', '--protocol', '--timeout', '--resolver', '--json'];
    assert.equal(didYouMean('--prodcut', flags), '; did you mean --product?');
    assert.equal(didYouMean('--resolvers', flags), '; did you mean --resolver?');
    assert.equal(didYouMean('--frobnicate', flags), '');
  });

  it('a product slug finds the slugs holding its parts first, never more than three', () => {
    const slugs = knownProductSlugs();
    assert.ok(slugs.length > 30, 'the whole table is large');
    assert.equal(nearest('windows-11', slugs)[0], 'windows-10-11');
    assert.ok(nearest('office', slugs).every((s) => s.startsWith('office')));
    for (const typo of ['windows', 'office', 'server', 'windows-server-2020', 'lab-window']) {
      assert.ok(nearest(typo, slugs).length <= 3, typo);
    }
    assert.equal(nearest('windows-server-2020', slugs)[0]?.startsWith('windows-server-20'), true);
    assert.deepEqual(nearest('lab-widnows', slugs)[0], 'lab-windows');
    assert.deepEqual(
      nearest(
        'zzzz',
        listProducts().map((p) => p.slug),
      ),
      [],
    );
  });
});

describe('Nagios ranges (Monitoring Plugins guidelines)', () => {
  const alerts = (range: string, value: number) =>
    rangeAlerts(parseNagiosRange(range, '--warning'), value);

  // The guidelines' own table of examples, each on both sides of its edges.
  for (const [range, quiet, loud] of [
    ['10', [0, 5, 10], [-1, 10.5, 11]],
    ['10:', [10, 11, 1e9], [9.99, 0, -5]],
    ['~:10', [-1e9, 0, 10], [10.01, 11]],
    ['10:20', [10, 15, 20], [9, 21]],
    ['@10:20', [9, 21], [10, 15, 20]],
    ['0:', [0, 3], [-1]],
    ['-5:-1', [-5, -3, -1], [-6, 0]],
    ['1.5:2.5', [1.5, 2, 2.5], [1.4, 2.6]],
    ['~:', [-1e9, 0, 1e9], []],
  ] as const) {
    it(`${range}: quiet at ${quiet.join(', ')}; alerts at ${loud.join(', ') || 'nothing'}`, () => {
      for (const v of quiet) assert.equal(alerts(range, v), false, `${range} at ${v}`);
      for (const v of loud) assert.equal(alerts(range, v), true, `${range} at ${v}`);
    });
  }

  for (const [text, message] of [
    ['', /--warning: empty range/],
    ['@', /--warning: empty range/],
    ['abc', /--warning: end "abc" of range "abc" is not a number/],
    ['5:x', /end "x"/],
    ['x:5', /start "x"/],
    ['20:10', /--warning: range "20:10" starts above its end \(20 > 10\)/],
    ['1e3', /not a number/],
  ] as const) {
    it(`refuses ${JSON.stringify(text)} naming the flag`, () => {
      assert.throws(() => parseNagiosRange(text, '--warning'), message);
    });
  }

  it('moves a range into the count’s units for perfdata, keeping ~, @ and open ends', () => {
    const shift = (text: string, by: number) => shiftRange(parseNagiosRange(text, '-w'), by);
    assert.equal(shift('0:', 25), '25:');
    assert.equal(shift('5', 25), '25:30');
    assert.equal(shift('~:3', 5), '~:8');
    assert.equal(shift('@0:6', 25), '@25:31');
    assert.equal(shift('-25:', 25), '0:');
    assert.equal(shift('-30:-25', 25), '-5:0');
    assert.equal(shift('10', 0), '10');
  });

  it('describes a range in words for problem lines', () => {
    const words = (t: string) => describeRange(parseNagiosRange(t, '-w'));
    assert.equal(words('5:'), 'below 5');
    assert.equal(words('~:10'), 'above 10');
    assert.equal(words('10:20'), 'outside 10..20');
    assert.equal(words('@0:3'), 'within 0..3');
  });
});

describe('escaping names from the network', () => {
  it('shows control and invisible characters as escapes, printable text as is', () => {
    assert.equal(escapeText('kms1.corp.example.com'), 'kms1.corp.example.com');
    assert.equal(escapeText('héllo wörld ✓'), 'héllo wörld ✓');
    assert.equal(escapeText('a\x1b[2Jb'), 'a\\x1b[2Jb');
    assert.equal(escapeText('a\x00b\x7fc\x85d'), 'a\\x00b\\x7fc\\x85d');
    assert.equal(escapeText('a\nb\rc\td'), 'a\\nb\\rc\\td');
    assert.equal(escapeText('kms\u202eevil\u200b\ufeff'), 'kms\\u{202E}evil\\u{200B}\\u{FEFF}');
    assert.equal(escapeText('back\\x1b'), 'back\\\\x1b', 'a literal backslash is doubled');
    for (let c = 0; c < 0xa0; c++) {
      const out = escapeText(String.fromCharCode(c));
      if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        assert.match(out, /^\\/, `U+${c.toString(16)} is escaped`);
    }
  });
});

describe('the command prefix the demo prints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kms-invocation-'));
  const script = join(dir, 'pkg', 'dist', 'cli.js');
  const bin = join(dir, 'bin');
  const other = join(dir, 'other-bin');
  it('kms-monitor only when that name on PATH is this very script', () => {
    mkdirSync(join(dir, 'pkg', 'dist'), { recursive: true });
    mkdirSync(bin, { recursive: true });
    mkdirSync(other, { recursive: true });
    writeFileSync(script, '#!/usr/bin/env node\n');
    chmodSync(script, 0o755);
    symlinkSync(script, join(bin, 'kms-monitor'));
    writeFileSync(join(other, 'kms-monitor'), '#!/bin/sh\n');
    chmodSync(join(other, 'kms-monitor'), 0o755);
    const base = { script, npmCommand: undefined, cwd: dir };
    assert.equal(commandPrefix({ ...base, path: bin }), 'kms-monitor');
    // Another kms-monitor first on PATH: a bare name would run that one.
    assert.equal(commandPrefix({ ...base, path: `${other}:${bin}` }), 'node pkg/dist/cli.js');
    assert.equal(commandPrefix({ ...base, path: '/nonexistent' }), 'node pkg/dist/cli.js');
    assert.equal(
      commandPrefix({ ...base, path: '/nonexistent', npmCommand: 'exec' }),
      'npx kms-monitor',
    );
    // Outside the working directory: the absolute path.
    assert.equal(
      commandPrefix({ ...base, path: '', cwd: join(dir, 'elsewhere') }),
      `node ${script}`,
    );
  });
});
