/**
 * The ADBA collector wired into the monitor, against real slapd servers on loopback: the
 * objects found and decoded into the state, /metrics, /api/v1/status and the page; the
 * forged-looking one flagged; a wrong password, a server without TLS, a closed port and a
 * server that never answers each a named failure while the good forest is read as fast as
 * alone; the password in none of the logs, the API, the page, the metrics or the errors;
 * reload and shutdown closing the LDAP connection of a read in flight; and the changes
 * between two reads raised and cleared by the real scheduler.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { readForestLazily } from '../../src/adba/index.js';
import { startMonitorApp, type MonitorApp } from '../../src/app/monitor-app.js';
import { configSchema, type ConfigInput } from '../../src/config/schema.js';
import { freePort } from '../../src/lab/free-port.js';
import {
  FORGED_LOOKING_OBJECT,
  GENUINE_LOOKING_OBJECT,
} from '../../src/lab/adba/sample-objects.js';
import { AdbaScheduler } from '../../src/monitor/adba-scheduler.js';
import { evaluate } from '../../src/monitor/evaluate.js';
import type { PollerClock } from '../../src/monitor/poller.js';
import { MonitorState } from '../../src/monitor/state.js';
import { buildStatusView } from '../../src/monitor/status-view.js';
import { NO_WEB_CONFIG } from '../../src/web/web-config.js';
import {
  Attribute,
  Change,
  slapdAvailable,
  startSlapdFixture,
  type SlapdFixture,
} from '../fixtures/slapd.js';
import { silentServer, type SilentServer } from '../helpers/silent-server.js';

const skip = slapdAvailable() ? false : 'slapd is not installed (apt-get install slapd ldap-utils)';
/** Distinctive, so that any trace of it in any output is found. */
const READER_PASSWORD = 'Canary-Reader-Pw-7731-zq';
const WRONG_PASSWORD = 'Canary-Wrong-Pw-4410-xv';
const READER_DN = 'CN=kms-monitor,CN=Users,DC=corp,DC=test';

async function waitFor(what: string, condition: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function capturedLog() {
  const lines: string[] = [];
  const log = pino(
    { level: 'debug' },
    new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
  );
  return { log, lines };
}

describe('ADBA in the monitor, against slapd', { skip, timeout: 120_000 }, () => {
  let fixture: SlapdFixture;
  let plain: SlapdFixture;
  let silent: SilentServer;
  let wrongFile: string;
  let closedPort: number;
  before(async () => {
    const readers = [{ dn: READER_DN, password: READER_PASSWORD }];
    fixture = await startSlapdFixture({ readers });
    plain = await startSlapdFixture({ readers, tls: false });
    silent = await silentServer();
    wrongFile = join(fixture.pki.dir, 'wrong-password');
    writeFileSync(wrongFile, `${WRONG_PASSWORD}\n`);
    closedPort = await freePort();
  });
  after(async () => {
    await fixture?.stop();
    await plain?.stop();
    await silent?.stop();
  });

  const forest = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    url: fixture.slapd.ldapsUrl!,
    bind_dn: READER_DN,
    password_file: fixture.passwordFile,
    ca_file: fixture.pki.caCert,
    ...extra,
  });

  it('reads each forest, names each failure, leaves the good one unaffected, and leaks no password', async () => {
    const { log, lines } = capturedLog();
    const input: ConfigInput = {
      interval: '1h',
      kms_interval: '1h',
      adba: [
        forest('corp'),
        forest('wrongpw', { password_file: wrongFile }),
        forest('notls', { url: plain.slapd.ldapUrl, start_tls: true }),
        forest('unreachable', { url: `ldaps://127.0.0.1:${closedPort}` }),
        forest('silent', { url: `ldaps://127.0.0.1:${silent.port}`, timeout: '1500ms' }),
      ],
    };
    let config = configSchema.parse(input);
    const app: MonitorApp = await startMonitorApp({
      log,
      readConfig: async () => config,
      webConfig: NO_WEB_CONFIG,
      listenAddress: '127.0.0.1:0',
      readSystem: async () => ({ nameservers: [], search: [] }),
      probers: { discover: async () => [] },
    });
    try {
      const forests = app.state.adba.forests;
      await waitFor('every forest read once', () =>
        [...forests.values()].every((f) => f.reads >= 1),
      );
      const last = (name: string) => forests.get(name)!.last!;
      const corp = last('corp');
      assert.ok(corp.ok, JSON.stringify(corp));
      // Read while the silent forest waited out its 1.5 s: nobody waits for another forest.
      assert.ok(corp.durationMs < 1000, `corp took ${corp.durationMs} ms`);
      assert.deepEqual(
        corp.objects.map((o) => [o.displayName, o.pid?.csvlk ?? null]),
        [
          ['Windows Server 2019 CSVLK (lab)', 'Windows Server 2019'],
          ['ADBA', null],
        ],
      );
      const reasons = Object.fromEntries(
        ['wrongpw', 'notls', 'unreachable', 'silent'].map((n) => {
          const r = last(n);
          return [n, r.ok ? 'ok' : r.reason];
        }),
      );
      assert.deepEqual(reasons, {
        wrongpw: 'bind',
        notls: 'tls',
        unreachable: 'connect',
        silent: 'timeout',
      });

      const status = (await (await fetch(`${app.url}/api/v1/status`)).json()) as {
        adba: Array<{ forest: string; status: string; objects: Array<{ forged: unknown[] }> }>;
        findings: Array<{ code: string; forest?: string; message: string; fix: string }>;
      };
      assert.deepEqual(
        status.adba.map((f) => [f.forest, f.status]),
        [
          ['corp', 'ok'],
          ['wrongpw', 'unreadable'],
          ['notls', 'unreadable'],
          ['unreachable', 'unreadable'],
          ['silent', 'unreadable'],
        ],
      );
      assert.deepEqual(
        status.adba[0]!.objects.map((o) => o.forged.length > 0),
        [false, true],
      );
      const adbaFindings = status.findings.filter((f) => f.forest !== undefined);
      assert.deepEqual(adbaFindings.map((f) => `${f.code} ${f.forest}`).sort(), [
        'adba_kms_id_unknown corp',
        'adba_object_forged corp',
        'adba_unreadable notls',
        'adba_unreadable silent',
        'adba_unreadable unreachable',
        'adba_unreadable wrongpw',
      ]);
      assert.match(
        adbaFindings.find((f) => f.forest === 'wrongpw')!.message,
        /cannot be read: bind \(the directory refused the bind: invalid credentials/,
      );

      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      assert.match(metrics, /^kms_adba_up\{forest="corp"\} 1$/m);
      assert.match(metrics, /^kms_adba_up\{forest="wrongpw"\} 0$/m);
      assert.match(metrics, /^kms_adba_objects\{forest="corp"\} 2$/m);
      assert.match(
        metrics,
        /^kms_adba_read_failures_total\{forest="silent",reason="timeout"\} 1$/m,
      );
      assert.match(
        metrics,
        /^kms_adba_object_info\{forest="corp",cn="01234-000-000000-0",name="ADBA",.*forged="true"\} 1$/m,
      );
      assert.match(
        metrics,
        /^kms_adba_product_covered\{forest="corp",product="windows-10-11"\} 1$/m,
      );
      assert.match(metrics, /^kms_adba_product_covered\{forest="corp",product="windows-7"\} 0$/m);

      const page = await (await fetch(`${app.url}/`)).text();
      assert.match(page, /Active Directory-Based Activation \(5\)/);
      assert.match(page, /looks forged/);
      assert.match(page, /unreadable: bind/);

      // No output carries a password: not the right one, not the wrong one.
      const outputs = { status: JSON.stringify(status), metrics, page, log: lines.join('') };
      for (const [name, text] of Object.entries(outputs)) {
        for (const secret of [READER_PASSWORD, WRONG_PASSWORD]) {
          assert.ok(!text.includes(secret), `${name} holds a password`);
        }
      }
      assert.ok(
        lines.some((l) => l.includes('adba forest unreadable') && l.includes('"reason":"bind"')),
      );

      // A reload that adds a forest whose server never answers: its read holds a connection;
      // a reload that removes the forest closes it, and so does shutdown.
      const hang = forest('hang', { url: `ldaps://127.0.0.1:${silent.port}`, timeout: '60s' });
      config = configSchema.parse({ ...input, adba: [...input.adba!, hang] });
      assert.deepEqual(await app.reload(), { ok: true });
      await waitFor('the hanging read to connect', () => silent.open() === 1);
      assert.equal(forests.get('corp')!.reads, 1, 'an unchanged forest keeps its schedule');
      config = configSchema.parse(input);
      assert.deepEqual(await app.reload(), { ok: true });
      await waitFor('the removed forest to close its connection', () => silent.open() === 0, 2000);
      assert.equal(forests.has('hang'), false);
      config = configSchema.parse({ ...input, adba: [...input.adba!, hang] });
      await app.reload();
      await waitFor('the hanging read to connect again', () => silent.open() === 1);
    } finally {
      const started = Date.now();
      await app.stop(0);
      assert.ok(Date.now() - started < 2500, `stop took ${Date.now() - started} ms`);
    }
    await waitFor('shutdown to close the connection', () => silent.open() === 0, 2000);
  });
});

/** Sleeps end when the test says so: each tick is one more read of every forest. */
class StepClock implements PollerClock {
  private wakers: Array<() => void> = [];
  readonly now = Date.now;
  readonly random = (): number => 0;
  readonly sleep = (_ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const wake = () => {
        signal.removeEventListener('abort', wake);
        resolve();
      };
      this.wakers.push(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  tick(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}

describe('ADBA changes between reads, against slapd', { skip, timeout: 60_000 }, () => {
  let fixture: SlapdFixture;
  before(async () => {
    fixture = await startSlapdFixture();
  });
  after(async () => {
    await fixture?.stop();
  });

  it('an object changed and one deleted are raised after the read that saw them, and cleared by the next', async () => {
    const state = new MonitorState();
    const clock = new StepClock();
    const { log } = capturedLog();
    const scheduler = new AdbaScheduler(state.adba, (f, o) => readForestLazily(f, o), log, clock);
    const config = fixture.forest();
    const findings = () =>
      evaluate(buildStatusView(state, []))
        .problems.filter((p) => p.forest === 'corp')
        .map((p) => p.code);
    const reads = () => state.adba.forests.get('corp')?.reads ?? 0;
    try {
      scheduler.configure([config], 3_600_000);
      await waitFor('the first read', () => reads() === 1);
      assert.deepEqual(findings(), ['adba_object_forged', 'adba_kms_id_unknown'], 'the baseline');

      await fixture.admin(async (client) => {
        await client.modify(
          fixture.objectDn(GENUINE_LOOKING_OBJECT),
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'displayName', values: ['edited by hand'] }),
          }),
        );
        await client.del(fixture.objectDn(FORGED_LOOKING_OBJECT));
      });
      clock.tick();
      await waitFor('the second read', () => reads() === 2);
      assert.deepEqual(findings(), ['adba_object_changed', 'adba_object_disappeared']);
      const changes = state.adba.forests.get('corp')!.changes;
      assert.deepEqual(
        changes.changed.map((c) => c.attributes),
        [['displayName']],
      );

      clock.tick();
      await waitFor('the third read', () => reads() === 3);
      assert.deepEqual(findings(), [], 'nothing changed since: every change finding cleared');
    } finally {
      await scheduler.stop();
    }
  });
});
