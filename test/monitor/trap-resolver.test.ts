// No DNS query reaches a resolver nobody configured. Inside `unshare -rmn` (loopback only,
// own mount namespace) /etc/resolv.conf is bind-mounted to a file naming a trap server;
// `serve` watches a domain with its own resolver and static hosts by name. The operating
// system's resolver (getaddrinfo) would ask the trap; kms-monitor must not. Before the fix,
// static hosts were resolved at connect time by the OS and the trap counted their queries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./trap-resolver-child.ts', import.meta.url));
const TRAP = '127.0.0.53';

test('no query leaves for the resolv.conf nobody configured', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kms-trap-'));
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(resolvConf, `nameserver ${TRAP}\noptions timeout:1 attempts:1\n`);
  const script = [
    'ip link set lo up',
    `mount --bind ${resolvConf} /etc/resolv.conf`,
    `exec "${process.execPath}" --import tsx "${CHILD}" ${TRAP}`,
  ].join(' && ');
  const probe = await run('unshare', ['-rmn', 'true']).then(
    () => true,
    () => false,
  );
  if (!probe) return t.skip('unshare -rmn is not permitted on this machine');
  const { stdout } = await run('unshare', ['-rmn', 'sh', '-c', script], { timeout: 60_000 });
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
  assert.equal(result.trapped, 0, `queries reached the trap: ${stdout}`);
  assert.equal(result.staticUp, 1, 'the static host was resolved by the configured resolver');
  assert.equal(result.staticProbe, 1);
  assert.equal(
    result.nowhereUp,
    0,
    'a name no configured resolver knows is down, not asked elsewhere',
  );
});
