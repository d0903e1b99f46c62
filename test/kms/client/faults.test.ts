// Every fault mode of the lab host ends the probe with its own named failure, within the
// timeout that applies, and leaves no socket or timer behind (docs/design.md 5 and 6).
// Which timeout applies is Deadline's logic, tested on a fake clock in units.test.ts; on
// the wall clock of a loaded machine only loose bounds hold: not before the timeout, and
// within twice it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probeKms } from '../../../src/kms/client/index.js';
import type { KmsFailureReason, KmsTimeouts } from '../../../src/kms/client/index.js';
import { HRESULT, listHresults } from '../../../src/kms/hresult.js';
import { startLabKmsHost } from '../../../src/lab/index.js';
import type { LabFault, LabKmsHost, LabKmsHostSettings } from '../../../src/lab/index.js';
import { FAST, TEST_IDENTITY, assertNoLeaks, lab, quiet, snapshot, timed } from './helpers.js';

interface Case {
  name: string;
  settings: LabKmsHostSettings;
  product?: string;
  timeouts?: KmsTimeouts;
  reason: KmsFailureReason;
  code?: string | null;
  message?: RegExp;
  /** The timeout that applies: the probe must end within twice it (and not before it). */
  limitMs: number;
  /** True when the failure is a timeout, so the probe must not end early either. */
  waits?: boolean;
}

const fault = (f: LabFault): LabKmsHostSettings => ({ fault: f });

const CASES: Case[] = [
  {
    name: 'refuse_connection',
    settings: fault('refuse_connection'),
    reason: 'connect_refused',
    limitMs: FAST.connectMs,
  },
  {
    name: 'silent',
    settings: fault('silent'),
    reason: 'timeout',
    limitMs: FAST.bindMs,
    waits: true,
    message: /bind timeout/,
  },
  {
    name: 'close_after_bind',
    settings: fault('close_after_bind'),
    reason: 'connection_closed',
    limitMs: FAST.requestMs,
  },
  {
    name: 'bind_nak',
    settings: fault('bind_nak'),
    reason: 'bind_rejected',
    limitMs: FAST.bindMs,
    message: /bind_nak/,
  },
  {
    name: 'bind_nak with a reason',
    settings: fault({ mode: 'bind_nak', code: 4 }),
    reason: 'bind_rejected',
    limitMs: FAST.bindMs,
    message: /protocol_version_not_supported/,
  },
  {
    name: 'fault_pdu',
    settings: fault('fault_pdu'),
    reason: 'rpc_fault',
    code: '0x1C010014',
    limitMs: FAST.requestMs,
    message: /server_too_busy/,
  },
  {
    name: 'fault_pdu unknown interface',
    settings: fault({ mode: 'fault_pdu', code: 0x1c010003 }),
    reason: 'rpc_fault',
    code: '0x1C010003',
    limitMs: FAST.requestMs,
    message: /nca_s_unk_if/,
  },
  {
    name: 'garbage instead of the bind_ack',
    settings: fault('garbage'),
    reason: 'malformed',
    limitMs: FAST.bindMs,
  },
  {
    name: 'garbage instead of the response',
    settings: fault({ mode: 'garbage', phase: 'request' }),
    reason: 'malformed',
    limitMs: FAST.requestMs,
  },
  {
    name: 'partial_pdu (bind)',
    settings: fault('partial_pdu'),
    reason: 'timeout',
    limitMs: FAST.bindMs,
    waits: true,
    message: /bytes of it arrived/,
  },
  {
    name: 'partial_pdu (request)',
    settings: fault({ mode: 'partial_pdu', phase: 'request' }),
    reason: 'timeout',
    limitMs: FAST.requestMs,
    waits: true,
    message: /request timeout/,
  },
  {
    name: 'oversized_frag_length (bind)',
    settings: fault('oversized_frag_length'),
    reason: 'malformed',
    limitMs: FAST.bindMs,
    message: /65535/,
  },
  {
    name: 'oversized_frag_length (request)',
    settings: fault({ mode: 'oversized_frag_length', phase: 'request' }),
    reason: 'malformed',
    limitMs: FAST.requestMs,
  },
  {
    name: 'wrong_call_id',
    settings: fault('wrong_call_id'),
    reason: 'unexpected',
    limitMs: FAST.requestMs,
    message: /call_id/,
  },
  {
    name: 'undecryptable v6',
    settings: fault('undecryptable'),
    reason: 'decrypt_failed',
    limitMs: FAST.requestMs,
  },
  {
    name: 'undecryptable v5',
    settings: fault('undecryptable'),
    product: 'lab-windows-v5',
    reason: 'decrypt_failed',
    limitMs: FAST.requestMs,
  },
  {
    name: 'undecryptable v4 (bad MAC)',
    settings: fault('undecryptable'),
    product: 'lab-windows-v4',
    reason: 'verify_failed',
    limitMs: FAST.requestMs,
  },
  {
    name: 'unverifiable v6',
    settings: fault('unverifiable'),
    reason: 'verify_failed',
    limitMs: FAST.requestMs,
  },
  {
    name: 'unverifiable v5',
    settings: fault('unverifiable'),
    product: 'lab-windows-v5',
    reason: 'verify_failed',
    limitMs: FAST.requestMs,
  },
  {
    name: 'unverifiable v4',
    settings: fault('unverifiable'),
    product: 'lab-windows-v4',
    reason: 'verify_failed',
    limitMs: FAST.requestMs,
  },
  {
    name: 'slow_drip',
    settings: fault({ mode: 'slow_drip', intervalMs: 20 }),
    reason: 'timeout',
    limitMs: FAST.requestMs,
    waits: true,
  },
  {
    name: 'slow_drip outlasting the overall deadline',
    settings: fault({ mode: 'slow_drip', intervalMs: 20 }),
    timeouts: { connectMs: 5000, bindMs: 5000, requestMs: 5000, overallMs: 600 },
    reason: 'timeout',
    limitMs: 600,
    waits: true,
    message: /600 ms overall deadline/,
  },
  {
    name: 'bind answer delayed past the bind timeout',
    settings: { delays: { bindAck: 2000 } },
    reason: 'timeout',
    limitMs: FAST.bindMs,
    waits: true,
  },
  {
    name: 'accept delayed past the bind timeout',
    settings: { delays: { accept: 2000 } },
    reason: 'timeout',
    limitMs: FAST.bindMs,
    waits: true,
  },
  {
    name: 'response delayed past the request timeout',
    settings: { delays: { response: 2000 } },
    reason: 'timeout',
    limitMs: FAST.requestMs,
    waits: true,
    message: /500 ms request timeout/,
  },
  ...listHresults()
    .filter(({ code }) => code !== HRESULT.S_OK)
    .map(({ name, code }): Case => ({
      name: `hresult ${name}`,
      settings: fault({ mode: 'hresult', code }),
      // A v4 product: 0x8007000D has no lower version to fall back to.
      product: 'lab-windows-v4',
      reason: 'kms_error',
      code: `0x${code.toString(16).toUpperCase().padStart(8, '0')}`,
      limitMs: FAST.requestMs,
    })),
];

describe('lab fault modes', () => {
  let host: LabKmsHost;
  let target: { host: string; port: number };

  before(async () => {
    host = await startLabKmsHost();
    target = { host: '127.0.0.1', port: host.port };
  });
  after(() => host.close());

  for (const c of CASES) {
    it(`${c.name} → ${c.reason}${c.code ? ` ${c.code}` : ''}`, async () => {
      await host.configure(c.settings);
      try {
        const leaks = await snapshot(host);
        const timeouts = c.timeouts ?? FAST;
        const { value: results, ms } = await timed(() =>
          probeKms(target, [lab(c.product ?? 'lab-windows')], {
            identity: TEST_IDENTITY,
            timeouts,
          }),
        );
        const [r] = results;
        assert.ok(r);
        assert.equal(r.success, false);
        assert.equal(r.error?.reason, c.reason, r.error?.message);
        if (c.code !== undefined) assert.equal(r.error?.code, c.code);
        if (c.message) assert.match(r.error?.message ?? '', c.message);
        // A phase's timeout starts with the phase: the connect before it has its own limit
        // (the overall deadline, when that is what ran out, counts from the start).
        const connectMs = c.timeouts ? 0 : (r.phases.connect ?? 0) * 1000;
        const phaseMs = ms - connectMs;
        assert.ok(
          phaseMs <= c.limitMs * 2,
          `ended after ${ms.toFixed(0)} ms, limit ${c.limitMs} ms (2× allowed)`,
        );
        if (c.waits)
          assert.ok(phaseMs >= c.limitMs * 0.95, `timed out early, after ${ms.toFixed(0)} ms`);
        assert.equal(r.activeClients, null);
        await assertNoLeaks(leaks, host);
      } finally {
        await host.configure({ fault: null, delays: { accept: 0, bindAck: 0, response: 0 } });
      }
    });
  }

  it('a connection that dies mid-way: that product fails, the next gets a new connection', async () => {
    await host.configure({ fault: { mode: 'wrong_call_id', products: ['lab-office'] } });
    try {
      const leaks = await snapshot(host);
      const stats = host.stats();
      const results = await probeKms(
        target,
        ['lab-windows', 'lab-office', 'lab-windows-v4'].map(lab),
        {
          identity: TEST_IDENTITY,
          timeouts: FAST,
        },
      );
      assert.deepEqual(
        results.map((r) => [r.product, r.success, r.error?.reason ?? null]),
        [
          ['lab-windows', true, null],
          ['lab-office', false, 'unexpected'],
          ['lab-windows-v4', true, null],
        ],
      );
      assert.equal(host.stats().connections - stats.connections, 2);
      await assertNoLeaks(leaks, host);
    } finally {
      await host.configure({ fault: null });
    }
  });

  it('a later request on a busy connection still times out on its own request timeout', async () => {
    // The connection re-arms one timer per phase; a request after answered ones must get a
    // full request timeout of its own, neither none nor what was left of the previous one.
    // Answers that take 150 ms each: a timer not restarted per request would run out
    // during the third request, 500 ms after the bind, instead of 500 ms into it.
    await host.configure({
      fault: { mode: 'partial_pdu', phase: 'request', products: ['lab-office'] },
      delays: { accept: 0, bindAck: 0, response: 150 },
    });
    try {
      const leaks = await snapshot(host);
      const results = await probeKms(
        target,
        ['lab-windows', 'lab-windows', 'lab-office', 'lab-windows'].map(lab),
        { identity: TEST_IDENTITY, timeouts: FAST },
      );
      assert.deepEqual(
        results.map((r) => [r.product, r.success, r.error?.reason ?? null]),
        [
          ['lab-windows', true, null],
          ['lab-windows', true, null],
          ['lab-office', false, 'timeout'],
          ['lab-windows', true, null],
        ],
      );
      const waited = (results[2]?.phases.request ?? 0) * 1000;
      assert.ok(waited >= FAST.requestMs - 5, `timed out after ${waited} ms`);
      assert.ok(waited < 2 * FAST.requestMs, `timed out only after ${waited} ms`);
      assert.match(results[2]?.error?.message ?? '', /request timeout/);
      await assertNoLeaks(leaks, host);
    } finally {
      await host.configure({ fault: null, delays: { accept: 0, bindAck: 0, response: 0 } });
    }
  });

  it('a connect or bind failure is the answer for every product, from one attempt', async () => {
    for (const [f, reason] of [
      ['bind_nak', 'bind_rejected'],
      ['refuse_connection', 'connect_refused'],
    ] as const) {
      await host.configure({ fault: f });
      const stats = host.stats();
      const results = await probeKms(
        target,
        ['lab-windows', 'lab-office', 'lab-windows-v4'].map(lab),
        {
          identity: TEST_IDENTITY,
          timeouts: FAST,
        },
      );
      assert.deepEqual(
        results.map((r) => r.error?.reason),
        [reason, reason, reason],
      );
      assert.ok(host.stats().connections - stats.connections <= 1);
    }
    await host.configure({ fault: null });
  });

  it('close_after_bind on every product: each one fails, no endless reconnects', async () => {
    await host.configure({ fault: 'close_after_bind' });
    try {
      const stats = host.stats();
      const results = await probeKms(target, ['lab-windows', 'lab-office'].map(lab), {
        identity: TEST_IDENTITY,
        timeouts: FAST,
      });
      assert.deepEqual(
        results.map((r) => r.error?.reason),
        ['connection_closed', 'connection_closed'],
      );
      assert.equal(host.stats().connections - stats.connections, 2);
    } finally {
      await host.configure({ fault: null });
    }
  });

  it('products not reached before the overall deadline fail with timeout', async () => {
    await host.configure({ delays: { response: 300 } });
    try {
      const { value: results, ms } = await timed(() =>
        probeKms(
          target,
          ['lab-windows', 'lab-office', 'lab-windows-v4', 'lab-windows-v5'].map(lab),
          {
            identity: TEST_IDENTITY,
            timeouts: { connectMs: 1000, bindMs: 1000, requestMs: 1000, overallMs: 700 },
          },
        ),
      );
      assert.ok(ms <= 770, `${ms} ms`);
      await quiet(host);
      assert.deepEqual(
        results.map((r) => r.error?.reason ?? 'ok'),
        ['ok', 'ok', 'timeout', 'timeout'],
      );
      assert.match(results[2]?.error?.message ?? '', /overall deadline/);
    } finally {
      await host.configure({ delays: { response: 0 } });
    }
  });
});
