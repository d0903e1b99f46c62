// The demo lab: every scenario yields the DNS and KMS facts demo-scenarios.ts promises,
// seen through the project's own DNS and KMS clients; the configuration points only at
// loopback; counts drift within bounds; records can leave DNS and come back; close()
// leaves nothing behind; and `kms-monitor demo` serves it all and stops on SIGINT.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lookupSrv, parseResolverAddress } from '../../src/dns/index.js';
import type { SrvLookupResult } from '../../src/dns/index.js';
import { probeKms, resolveIdentity } from '../../src/kms/client/index.js';
import type { KmsProductSpec } from '../../src/kms/client/index.js';
import { parseConfig } from '../../src/config/load.js';
import { planFromConfig } from '../../src/monitor/plan-from-config.js';
import { startDemoLab, DEMO_CMID, DEMO_WORKSTATION } from '../../src/lab/demo-lab.js';
import type { DemoLab } from '../../src/lab/demo-lab.js';
import { DEMO_PLANNED_PRODUCTS, DEMO_PRODUCTS } from '../../src/lab/demo-scenarios.js';
import {
  EXPECTED_DEMO_SCENARIOS,
  expectedProbe,
  findDemoScenario,
  type ExpectedDemoScenario,
} from '../helpers/demo-expectations.js';
import { labProduct, NonLoopbackAddressError } from '../../src/lab/index.js';
import { demoBanner, demoBaseUrl } from '../../src/commands/demo.js';
import {
  activeResources,
  assertNothingLeftOpen,
  settleHandles,
  withoutLeaks,
} from '../helpers/leaks.js';
import { seededRandom } from '../helpers/seeded-random.js';

const IDENTITY = resolveIdentity({
  cmid: '1ab07e57-0000-4000-a000-000000000001',
  workstation: 'demo-lab-test',
});
const TIMEOUTS = { connectMs: 5000, bindMs: 5000, requestMs: 5000, overallMs: 20_000 };

const PRODUCTS: KmsProductSpec[] = DEMO_PRODUCTS.map(labProduct);

async function withLab<T>(work: (lab: DemoLab) => Promise<T>): Promise<T> {
  const lab = await startDemoLab({ random: seededRandom(6) });
  try {
    return await work(lab);
  } finally {
    await lab.close();
  }
}

function resolversOf(lab: DemoLab) {
  return [lab.resolvers.a, lab.resolvers.b].map((r) => ({ address: r.address, port: r.port }));
}

async function lookup(lab: DemoLab, domain: string): Promise<SrvLookupResult[]> {
  return lookupSrv(domain, { resolvers: resolversOf(lab), timeoutMs: 10_000 });
}

function recordKeys(result: SrvLookupResult | undefined): string[] {
  return (result?.records ?? []).map((r) => `${r.host}:${r.port}`).sort();
}

/** host:port of the hosts a resolver should publish for a scenario. */
function publishedKeys(lab: DemoLab, scenario: ExpectedDemoScenario, which: 'a' | 'b'): string[] {
  return scenario.hosts
    .filter((h) => h.publishedBy.includes(which))
    .map((h) => `${h.name}:${lab.hosts[h.id]?.port}`)
    .sort();
}

describe('demo lab', { timeout: 180_000 }, () => {
  it('gives the monitor a valid configuration that points only at the lab', () =>
    withLab(async (lab) => {
      const labResolvers = [lab.resolvers.a.resolver, lab.resolvers.b.resolver];
      for (const r of labResolvers) assert.match(r, /^127\.0\.0\.1:\d+$/);
      assert.deepEqual(
        lab.config.domains,
        EXPECTED_DEMO_SCENARIOS.map((s) => ({
          name: s.domain,
          resolvers: labResolvers.map((r) => parseResolverAddress(r)),
          ...(s.allowed ? { allowed_hosts: s.allowed.map((l) => `${l}.${s.domain}`) } : {}),
          ...(s.replaces ? { replaces: s.replaces } : {}),
        })),
      );
      // Every authenticity check runs in the demo, the optional clock window too.
      assert.deepEqual(lab.config.trust, { count_echo: true, clock_window_check: true });
      assert.deepEqual(
        lab.config.products.map((p) => (typeof p === 'string' ? p : p.slug)),
        [...DEMO_PRODUCTS, ...DEMO_PLANNED_PRODUCTS],
      );
      assert.deepEqual(lab.config.identity, { cmid: DEMO_CMID, workstation: DEMO_WORKSTATION });
      assert.equal(lab.config.interval, 5000);
      assert.equal(lab.config.kms_interval, 15_000);
      assert.equal(lab.config.timeout, 2000);
      assert.equal(lab.config.web.listen_address, '127.0.0.1:9688');
      assert.deepEqual(lab.config.hosts, []);
      assert.deepEqual(parseConfig(lab.configYaml), lab.config, 'the YAML says the same');
      // The plan never needs the system resolver configuration.
      const plan = await planFromConfig(lab.config, () => {
        throw new Error('the demo must not read /etc/resolv.conf');
      });
      assert.equal(plan.domains.length, EXPECTED_DEMO_SCENARIOS.length);
      assert.deepEqual(
        plan.products.map((p) => p.slug),
        [...DEMO_PRODUCTS, ...DEMO_PLANNED_PRODUCTS],
      );
      for (const entry of Object.values(lab.hosts))
        assert.equal(entry.kms?.address ?? '127.0.0.1', '127.0.0.1');
    }));

  it('every scenario publishes what it promises, at both resolvers', () =>
    withLab(async (lab) => {
      for (const scenario of EXPECTED_DEMO_SCENARIOS) {
        const [atA, atB] = await lookup(lab, scenario.domain);
        for (const [which, result] of [
          ['a', atA],
          ['b', atB],
        ] as const) {
          const what = `${scenario.domain} at resolver ${which}`;
          assert.equal(result?.success, true, what);
          assert.equal(result?.rcode, scenario.expectedRcode, what);
          assert.equal(result?.records.length, scenario.expectedRecords[which], what);
          assert.deepEqual(recordKeys(result), publishedKeys(lab, scenario, which), what);
          for (const record of result?.records ?? []) {
            // The target's address came from the lab zone (glue), never from the system.
            assert.deepEqual(record.addresses, ['127.0.0.1'], `${what}: ${record.host}`);
          }
        }
      }
      const [normA, normB] = await lookup(lab, 'norecord.kms-lab.test');
      assert.equal(normA?.error?.reason, 'nxdomain');
      assert.equal(normB?.error?.reason, 'nxdomain');
      const [splitA, splitB] = await lookup(lab, 'split.kms-lab.test');
      assert.notDeepEqual(recordKeys(splitA), recordKeys(splitB), 'split: the resolvers disagree');
      assert.deepEqual(
        recordKeys(splitA).filter((k) => !recordKeys(splitB).includes(k)),
        [],
        'B publishes X + Y, A publishes X',
      );
      for (const scenario of EXPECTED_DEMO_SCENARIOS.filter((s) => s.key !== 'split')) {
        const [a, b] = await lookup(lab, scenario.domain);
        assert.deepEqual(recordKeys(a), recordKeys(b), `${scenario.domain}: A and B agree`);
      }
    }));

  it('every host answers each product as its scenario says (counts, 0xC004F042, connect_refused)', () =>
    withLab(async (lab) => {
      for (const entry of Object.values(lab.hosts)) {
        const results = await probeKms(
          { host: entry.host, port: entry.port, address: '127.0.0.1' },
          PRODUCTS,
          { identity: IDENTITY, timeouts: TIMEOUTS },
        );
        for (const [i, product] of DEMO_PRODUCTS.entries()) {
          const result = results[i];
          const expected = expectedProbe(entry.spec, product);
          const what = `${entry.spec.id} ${product}`;
          assert.equal(result?.product, product, what);
          assert.equal(
            result?.success,
            expected.success,
            `${what}: ${JSON.stringify(result?.error)}`,
          );
          if (expected.success) {
            const count = result?.activeClients ?? -1;
            assert.ok(
              count >= expected.activeClients.min && count <= expected.activeClients.max,
              `${what}: count ${count} outside ${JSON.stringify(expected.activeClients)}`,
            );
            assert.equal(result?.threshold, expected.threshold, what);
          } else {
            assert.equal(result?.error?.reason, expected.reason, what);
            assert.equal(result?.error?.code, expected.code, what);
          }
        }
      }
      // The facts each scenario is about, spelled out.
      const low = lab.hosts['lowcount-kms1'];
      const [lowWindows] = await probeKms(
        { host: 'low', port: low?.port ?? 0, address: '127.0.0.1' },
        PRODUCTS.slice(0, 1),
        { identity: IDENTITY, timeouts: TIMEOUTS },
      );
      assert.ok((lowWindows?.activeClients ?? 99) < 25, 'lowcount: below the Windows threshold');
      assert.equal(low?.kms?.count('windows'), 13, 'prefill 12 + this test');
      const healthy = Object.values(lab.hosts).filter((h) => h.scenario === 'healthy');
      assert.equal(healthy.length, 2);
      for (const h of healthy) {
        assert.ok((h.kms?.count('windows') ?? 0) >= 25);
        assert.ok((h.kms?.count('office-2013+') ?? 0) >= 5);
      }
      assert.equal(lab.hosts['stale-old-kms']?.kms, null);
      assert.equal(lab.hosts['nooffice-kms1']?.kms?.stats().refusals, 1);
    }));

  it('tick() moves the counts, never out of bounds, never changing a scenario’s verdict', () =>
    withLab(async (lab) => {
      const seen = new Map<string, Set<number>>();
      for (let round = 0; round < 60; round++) {
        await lab.tick();
        for (const entry of Object.values(lab.hosts)) {
          if (entry.kms === null) continue;
          for (const application of ['windows', 'office-2013+'] as const) {
            const bounds = entry.spec.counts[application];
            const count = entry.kms.count(application);
            assert.equal(count, entry.counts[application]);
            if (bounds) {
              assert.ok(
                count >= bounds.min && count <= bounds.max,
                `${entry.spec.id} ${application} ${count}`,
              );
              const key = `${entry.spec.id} ${application}`;
              seen.set(key, (seen.get(key) ?? new Set()).add(count));
            } else {
              assert.equal(count, 0);
            }
          }
          const windows = entry.kms.count('windows');
          if (entry.scenario === 'lowcount' && entry.spec.id === 'lowcount-kms1')
            assert.ok(windows + 2 < 25);
          // An emulator reports 2 × N whatever its table holds (expectedProbe).
          else if (entry.spec.personality !== undefined) assert.equal(windows, 0);
          else assert.ok(windows + 1 >= 25, `${entry.spec.id} stays above 25: ${windows}`);
        }
      }
      for (const [key, values] of seen) assert.ok(values.size > 1, `${key} never moved`);
    }));

  it('a record can leave DNS and come back (both resolvers), and reset() restores every zone', () =>
    withLab(async (lab) => {
      const healthy = findDemoScenario('healthy') as ExpectedDemoScenario;
      const split = findDemoScenario('split') as ExpectedDemoScenario;
      assert.equal(lab.dns.unpublish('healthy-kms2'), 2, 'removed at A and at B');
      for (const result of await lookup(lab, healthy.domain)) {
        assert.deepEqual(recordKeys(result), [
          `kms1.healthy.kms-lab.test:${lab.hosts['healthy-kms1']?.port}`,
        ]);
      }
      lab.dns.republish('healthy-kms2');
      lab.dns.republish('healthy-kms2'); // twice: still one record
      for (const [i, result] of (await lookup(lab, healthy.domain)).entries()) {
        assert.deepEqual(recordKeys(result), publishedKeys(lab, healthy, i === 0 ? 'a' : 'b'));
      }
      assert.equal(lab.dns.unpublish('split-kms2'), 1, 'only B had it');
      const [a, b] = await lookup(lab, split.domain);
      assert.deepEqual(recordKeys(a), recordKeys(b));
      lab.dns.republish('split-kms2');
      const [a2, b2] = await lookup(lab, split.domain);
      assert.deepEqual(recordKeys(a2), publishedKeys(lab, split, 'a'));
      assert.deepEqual(recordKeys(b2), publishedKeys(lab, split, 'b'));
      lab.dns.unpublish('single-kms1');
      const [gone] = await lookup(lab, 'single.kms-lab.test');
      assert.equal(gone?.rcode, 'NXDOMAIN', 'the last record gone: the SRV name is gone');
      lab.dns.reset();
      const [back] = await lookup(lab, 'single.kms-lab.test');
      assert.equal(back?.records.length, 1);
      assert.throws(() => lab.dns.unpublish('nope'), RangeError);
    }));

  it('refuses a non-loopback address before starting anything', async () => {
    await settleHandles();
    const before = activeResources();
    for (const address of ['0.0.0.0', '192.0.2.1', '::']) {
      await assert.rejects(startDemoLab({ address }), NonLoopbackAddressError);
    }
    await assertNothingLeftOpen(before);
  });

  it('close() leaves no socket or timer behind, drift timer and lookups included', async () => {
    await withoutLeaks(async () => {
      const lab = await startDemoLab({ driftEveryMs: 40, random: seededRandom(1) });
      const before = lab.hosts['healthy-kms1']?.counts.windows;
      await lookup(lab, 'healthy.kms-lab.test');
      await probeKms(
        { host: 'kms1', port: lab.hosts['single-kms1']?.port ?? 0, address: '127.0.0.1' },
        PRODUCTS,
        { identity: IDENTITY, timeouts: TIMEOUTS },
      );
      const deadline = performance.now() + 10_000;
      while (lab.hosts['healthy-kms1']?.counts.windows === before && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.notEqual(lab.hosts['healthy-kms1']?.counts.windows, before, 'the timer drifts counts');
      await lab.close();
      await lab.close();
    });
  });

  it('the banner lists every scenario and the URLs', () =>
    withLab(async (lab) => {
      const banner = demoBanner(lab, '127.0.0.1:9688', '/tmp/demo.yml');
      for (const s of EXPECTED_DEMO_SCENARIOS)
        assert.match(
          banner,
          new RegExp(`${s.domain.replace(/\./g, '\\.')}\\s+${s.expectedStatus.toUpperCase()}`),
        );
      for (const path of ['/metrics', '/api/v1/status', '/ '])
        assert.ok(banner.includes(`http://127.0.0.1:9688${path}`), path);
      assert.ok(banner.includes(lab.resolvers.b.resolver));
      assert.equal(demoBaseUrl(':9688'), 'http://localhost:9688');
      assert.equal(demoBaseUrl('[::1]:8080'), 'http://[::1]:8080');
    }));

  it('kms-monitor demo serves the lab’s metrics and stops cleanly on SIGINT', async () => {
    const script = `import { demoCommand } from './src/commands/demo.ts';
process.exitCode = await demoCommand.run(['--web.listen-address', '127.0.0.1:0', '--log.format', 'json']);`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      const deadline = performance.now() + 60_000;
      let url: string | undefined;
      while (url === undefined && performance.now() < deadline) {
        url = /"address":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)?.[1];
        if (url === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(url, `no listening line; stderr: ${stderr}`);
      assert.match(stdout, /norecord\.kms-lab\.test\s+CRITICAL/);
      // Wait for the first KMS round to land in /metrics.
      let metrics = '';
      while (
        performance.now() < deadline &&
        !/kms_probe_success\{[^}]*nooffice[^}]*lab-office"\} 0/.test(metrics)
      ) {
        metrics = await (await fetch(`${url}/metrics`)).text();
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.match(
        metrics,
        /kms_srv_records\{domain="split\.kms-lab\.test",resolver="127\.0\.0\.1:\d+"\} 1/,
      );
      assert.match(metrics, /kms_host_up\{host="old-kms\.stale\.kms-lab\.test",port="\d+"\} 0/);
      assert.match(
        metrics,
        /kms_probe_success\{host="kms1\.nooffice\.kms-lab\.test",port="\d+",product="lab-office"\} 0/,
      );
      const status = (await (await fetch(`${url}/api/v1/status`)).json()) as object;
      assert.ok(JSON.stringify(status).includes('norecord.kms-lab.test'));
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, stderr);
  });
});
