// The `trust` configuration (docs/trust.md): count_echo on and clock_window_check off by
// default, each switch adding or removing exactly its request and its check's verdict.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { planFromConfig } from '../../src/monitor/plan-from-config.js';
import { CLOCK_WINDOW_OFFSET_MS, trustSpecs } from '../../src/monitor/kinds/trust.js';
import { assessTrust, type TrustSettings } from '../../src/monitor/trust.js';
import { labProduct } from '../../src/lab/index.js';
import type { KmsProductResult } from '../../src/kms/client/index.js';
import { configErrorOf } from '../config/config-error.js';

const CMID = '6a1f2c3d-4b5e-4f60-8a7b-9c0d1e2f3a4b';
const PRODUCTS = ['lab-windows', 'lab-windows-server', 'lab-office'].map(labProduct);

async function settingsOf(yaml: string): Promise<TrustSettings | undefined> {
  const plan = await planFromConfig(parseConfig(`resolvers: [127.0.0.53]\n${yaml}`), () =>
    Promise.resolve({ nameservers: [], search: ['corp.example'] }),
  );
  return plan.trust;
}

function refused(product: string, code: string): KmsProductResult {
  return {
    host: 'kms1',
    port: 1688,
    address: '127.0.0.1',
    product,
    success: false,
    protocol: 6,
    epid: null,
    hwid: null,
    hostBuild: null,
    keyInstallDate: null,
    activeClients: null,
    threshold: 13,
    activationIntervalMinutes: null,
    renewalIntervalMinutes: null,
    durationSeconds: 0,
    phases: {},
    timestamp: new Date().toISOString(),
    error: { reason: 'kms_error', code, message: 'refused' },
  };
}

function verdictsWith(settings: TrustSettings, clock?: KmsProductResult) {
  const trust = assessTrust(
    [],
    {
      unknownId: refused('trust:unknown-id', '0xC004F042'),
      retail: null,
      echo: [],
      products: PRODUCTS,
      settings,
      ...(clock ? { clock } : {}),
    },
    null,
    new Date(),
  );
  return Object.fromEntries(trust.checks.map((c) => [c.check, [c.verdict, c.evidence]]));
}

describe('trust settings', () => {
  it('default: count echo on, clock window off', async () => {
    assert.deepEqual(await settingsOf(''), { countEcho: true, clockWindow: false });
    assert.deepEqual(
      await settingsOf('trust:\n  clock_window_check: true\n  count_echo: false\n'),
      { countEcho: false, clockWindow: true },
    );
  });

  it('a wrong key or type is a configuration error naming it', () => {
    assert.equal(configErrorOf('trust:\n  clock_window: true\n').keyPath, 'trust.clock_window');
    const err = configErrorOf('trust:\n  count_echo: "yes"\n');
    assert.equal(err.keyPath, 'trust.count_echo');
  });

  it('each switch adds exactly its requests: echo per application, one clock request dated 5h back', () => {
    const slugs = (s: TrustSettings) => trustSpecs(CMID, PRODUCTS, s).specs.map((p) => p.slug);
    const base = ['trust:unknown-id', 'trust:retail'];
    const echo = ['trust:echo:lab-windows', 'trust:echo:lab-office'];
    assert.deepEqual(slugs({ countEcho: false, clockWindow: false }), base);
    assert.deepEqual(slugs({ countEcho: true, clockWindow: false }), [...base, echo[0], echo[1]]);
    assert.deepEqual(slugs({ countEcho: false, clockWindow: true }), [
      ...base,
      'trust:clock:lab-windows',
    ]);
    const clock = trustSpecs(CMID, PRODUCTS, { countEcho: false, clockWindow: true }).specs.at(-1);
    assert.equal(clock?.clientTimeOffsetMs, CLOCK_WINDOW_OFFSET_MS);
    assert.equal(CLOCK_WINDOW_OFFSET_MS, -5 * 3600_000);
    assert.ok((clock?.nPolicy ?? 99) < labProduct('lab-windows').nPolicy);
  });

  it('a switch off is not_run with the reason; the clock check judges the refusal when on', () => {
    const off = verdictsWith({ countEcho: false, clockWindow: false });
    assert.deepEqual(off.count_echo, ['not_run', 'off in the configuration (trust.count_echo)']);
    assert.deepEqual(off.clock_window, [
      'not_run',
      'off in the configuration (trust.clock_window_check)',
    ]);
    const on = { countEcho: true, clockWindow: true };
    assert.deepEqual(
      verdictsWith(on, refused('trust:clock:lab-windows', '0xC004F06C')).clock_window,
      ['pass', 'a request dated 5 hours off was refused with 0xC004F06C'],
    );
    const answered = {
      ...refused('trust:clock:lab-windows', ''),
      success: true,
      error: null,
      activeClients: 26,
      epid: '55041-00206-567-333897-03-1102-6002.0000-3342021',
    };
    assert.equal(verdictsWith(on, answered).clock_window?.[0], 'failed');
    assert.match(
      String(verdictsWith(on, answered).clock_window?.[1]),
      /a request dated 5 hours off was answered with count 26 .*: a genuine host refuses it with 0xC004F06C/,
    );
  });
});
