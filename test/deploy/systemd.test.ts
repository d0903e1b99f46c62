/**
 * deploy/systemd/kms-monitor.service: `systemd-analyze verify` accepts it without a
 * warning, `systemd-analyze security --offline` rates its sandbox as well exposed as the
 * threshold allows, and the hardening the deployment guide promises is there. The
 * systemd package provides systemd-analyze (CI needs it installed); missing = failure.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readText, runTool } from './helpers.js';

const UNIT = 'deploy/systemd/kms-monitor.service';
const text = readText(UNIT);

/** Section → directives (a key may repeat). */
function parseUnit(source: string): Map<string, Array<[string, string]>> {
  const sections = new Map<string, Array<[string, string]>>();
  let current: Array<[string, string]> | undefined;
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = [];
      sections.set(section[1]!, current);
      continue;
    }
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    assert.ok(m && current, `a directive inside a section: ${line}`);
    current.push([m[1]!, m[2]!]);
  }
  return sections;
}

/** The unit with ExecStart's interpreter set to this machine's node, in a temp dir. */
async function withLocalNode<T>(run: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'kms-systemd-'));
  try {
    const file = join(dir, 'kms-monitor.service');
    await writeFile(
      file,
      text.replace(/^ExecStart=\/usr\/bin\/node /m, `ExecStart=${process.execPath} `),
    );
    return await run(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('systemd unit', () => {
  const unit = parseUnit(text);
  const service = new Map<string, string[]>();
  for (const [k, v] of unit.get('Service') ?? []) service.set(k, [...(service.get(k) ?? []), v]);
  const one = (key: string) => {
    const values = service.get(key);
    assert.ok(values, `[Service] ${key}=`);
    return values.at(-1)!;
  };

  test('has the three sections and starts `kms-monitor serve` with a config file', () => {
    assert.deepEqual([...unit.keys()], ['Unit', 'Service', 'Install']);
    assert.match(one('ExecStart'), /^\/usr\/bin\/node \S+\/dist\/cli\.js serve --config\.file=\S+/);
    assert.equal(one('ExecReload'), '/bin/kill -HUP $MAINPID');
    assert.equal(one('Restart'), 'on-failure');
    assert.ok(unit.get('Install')!.some(([k, v]) => k === 'WantedBy' && v === 'multi-user.target'));
  });

  test('is hardened as docs/deployment.md says', () => {
    assert.ok(one('DynamicUser') === 'yes' || service.has('User'));
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['CapabilityBoundingSet', ''],
      ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX'],
      ['SystemCallArchitectures', 'native'],
    ]) {
      assert.equal(one(key!), value, key);
    }
    assert.ok(service.get('SystemCallFilter')!.includes('@system-service'));
    // V8's JIT needs writable and executable memory: the setting would stop Node.js.
    assert.ok(!service.has('MemoryDenyWriteExecute'));
    assert.match(text, /# MemoryDenyWriteExecute=yes is deliberately absent: V8's JIT/);
  });

  test('systemd-analyze verify accepts it without a warning', async () => {
    await withLocalNode(async (file) => {
      const r = await runTool('systemd-analyze', ['verify', file], { timeoutMs: 30_000 });
      const own = (r.stdout + r.stderr)
        .split('\n')
        .filter((l) => l.includes('kms-monitor.service'));
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(own, []);
    });
  });

  test('systemd-analyze security rates the sandbox at most 2.0 of 10', async () => {
    await withLocalNode(async (file) => {
      const r = await runTool(
        'systemd-analyze',
        ['security', '--offline=yes', '--threshold=20', '--no-pager', file],
        { timeoutMs: 30_000 },
      );
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const level = /Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout + r.stderr);
      assert.ok(level, r.stdout + r.stderr);
      assert.ok(Number(level[1]) <= 2.0, `exposure ${level[1]}`);
    });
  });
});
