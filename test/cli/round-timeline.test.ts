// KMS_MONITOR_TIMELINE=1 makes `check` say on stderr when each phase of its round ran
// (src/cli/round-timeline.ts); without it stderr stays as it was and stdout never changes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RoundTimeline } from '../../src/cli/round-timeline.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

describe('the round timeline', () => {
  it('times each wrapped function from its first call to its last answer', async () => {
    const timeline = new RoundTimeline();
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const probers = timeline.wrap({ tcp: async (ms: number) => (await wait(ms), ms), limit: 3 });
    assert.equal(probers.limit, 3, 'values pass through');
    assert.deepEqual(await Promise.all([probers.tcp(5), probers.tcp(30)]), [5, 30]);
    timeline.mark('evaluate');
    const text = timeline.text();
    const tcp = /^tcp +([\d.]+) → +([\d.]+) ms +\( *([\d.]+) ms, +2 calls\)/m.exec(text);
    assert.ok(tcp, text);
    assert.ok(Number(tcp[3]) >= 29, `the span covers the slower call (${text})`);
    assert.match(text, /^evaluate .* 1 calls\)/m);
  });

  it('check prints it on stderr only when asked, with the same stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kms-timeline-'));
    try {
      const file = join(dir, 'kms.yml');
      // A static host on loopback where nothing listens: the round is over at once.
      writeFileSync(file, 'hosts: ["127.0.0.1:1"]\ntimeout: 1s\n');
      const run = (env: NodeJS.ProcessEnv) =>
        spawnSync(process.execPath, [CLI, 'check', '--config.file', file], {
          encoding: 'utf8',
          env: { ...process.env, ...env },
        });
      const plain = run({ KMS_MONITOR_TIMELINE: '' });
      const timed = run({ KMS_MONITOR_TIMELINE: '1' });
      assert.equal(plain.stderr, '');
      assert.equal(timed.stdout, plain.stdout);
      assert.equal(timed.status, plain.status);
      for (const phase of ['modules', 'config', 'plan', 'discover', 'tcp', 'evaluate', 'print']) {
        assert.match(timed.stderr, new RegExp(`^${phase} `, 'm'), `${phase} in ${timed.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
