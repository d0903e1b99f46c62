// Client paths a scripted RPC peer forces: NDR32 refused (alter-context to NDR64), a
// non-KMS RPC service, a host serving one request per connection (stale-connection retry),
// echoes of the wrong CMID, call id 1, unsolicited PDUs, an empty success.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probeKms } from '../../../src/kms/client/index.js';
import type { KmsProductResult } from '../../../src/kms/client/index.js';
import { PROVIDER_REASON, PTYPE, fault, request, requestStub } from '../../../src/kms/rpc/index.js';
import { FAST, TEST_IDENTITY, assertNoLeaks, lab, snapshot } from './helpers.js';
import { accept, ackBind, answerRequest, reject, startScriptedHost } from './scripted-host.js';
import type { Script } from './scripted-host.js';

async function probeWith(
  script: Script,
  slugs = ['lab-windows'],
): Promise<{ results: KmsProductResult[]; connections: number }> {
  const host = await startScriptedHost(script);
  try {
    const leaks = await snapshot(host);
    const results = await probeKms({ host: '127.0.0.1', port: host.port }, slugs.map(lab), {
      identity: TEST_IDENTITY,
      timeouts: FAST,
    });
    await assertNoLeaks(leaks, host);
    return { results, connections: host.connections() };
  } finally {
    await host.close();
  }
}

const reasons = (results: KmsProductResult[]) => results.map((r) => r.error?.reason ?? 'ok');

describe('RPC paths against a scripted peer', () => {
  it('a host refusing NDR32 gets an alter-context for NDR64 and NDR64 requests', async () => {
    const seen: string[] = [];
    const { results } = await probeWith(
      (pdu, ptype, c) => {
        if (ptype === PTYPE.bind) {
          c.send(ackBind(pdu, [reject(PROVIDER_REASON.proposedTransferSyntaxesNotSupported)]));
        } else if (ptype === PTYPE.alterContext) {
          seen.push('alter_context');
          c.send(ackBind(pdu, [accept('ndr64')]));
        } else if (ptype === PTYPE.request) {
          seen.push(`request ctx ${request.decode(pdu).contextId}`);
          c.send(answerRequest(pdu, { syntax: 'ndr64' }));
        }
      },
      ['lab-windows', 'lab-windows-v4'],
    );
    assert.deepEqual(reasons(results), ['ok', 'ok']);
    assert.deepEqual(seen, ['alter_context', 'request ctx 1', 'request ctx 1']);
    assert.equal(results[0]?.activeClients, 7);
  });

  it('a host that refuses NDR32 and NDR64 is bind_rejected', async () => {
    const { results } = await probeWith((pdu, ptype, c) => {
      if (ptype === PTYPE.bind || ptype === PTYPE.alterContext) {
        c.send(ackBind(pdu, [reject(PROVIDER_REASON.proposedTransferSyntaxesNotSupported)]));
      }
    });
    assert.deepEqual(reasons(results), ['bind_rejected']);
    assert.match(results[0]?.error?.message ?? '', /NDR32 and NDR64/);
  });

  it('an RPC service without the KMS interface is "not a KMS host"', async () => {
    const { results } = await probeWith((pdu, ptype, c) => {
      if (ptype === PTYPE.bind)
        c.send(ackBind(pdu, [reject(PROVIDER_REASON.abstractSyntaxNotSupported)]));
    });
    assert.deepEqual(reasons(results), ['bind_rejected']);
    assert.match(results[0]?.error?.message ?? '', /not a KMS host/);
  });

  it('a fault in answer to the bind is rpc_fault with the status', async () => {
    const { results } = await probeWith((pdu, ptype, c) => {
      if (ptype === PTYPE.bind) c.send(fault.encode({ callId: 2, status: 0x00000005 }));
    });
    assert.deepEqual(
      [results[0]?.error?.reason, results[0]?.error?.code],
      ['rpc_fault', '0x00000005'],
    );
  });

  it('a host serving one request per connection: reconnects and resends, every product answered', async () => {
    const { results, connections } = await probeWith(
      (pdu, ptype, c) => {
        if (ptype === PTYPE.bind) c.send(ackBind(pdu, [accept('ndr32')]));
        else if (ptype === PTYPE.request && c.received === 1) c.send(answerRequest(pdu));
        else c.close(); // a second request on the same connection: dropped unanswered
      },
      ['lab-windows', 'lab-office', 'lab-windows-v4'],
    );
    assert.deepEqual(reasons(results), ['ok', 'ok', 'ok']);
    assert.equal(connections, 3);
    // The trust evidence: each request after the first went on a connection opened because
    // the host had closed the last one after answering.
    assert.deepEqual(
      results.map((r) => [
        r.association?.connection,
        r.association?.answered,
        r.association?.reopened,
      ]),
      [
        [1, 1, false],
        [2, 1, true],
        [3, 1, true],
      ],
    );
  });

  it('a host that keeps the association: every answer on connection 1, with its association group', async () => {
    const { results, connections } = await probeWith(
      (pdu, ptype, c) => {
        if (ptype === PTYPE.bind) c.send(ackBind(pdu, [accept('ndr32')], 0x1063bf3f));
        else if (ptype === PTYPE.request) c.send(answerRequest(pdu));
      },
      ['lab-windows', 'lab-office', 'lab-windows-v4'],
    );
    assert.deepEqual(reasons(results), ['ok', 'ok', 'ok']);
    assert.equal(connections, 1);
    assert.deepEqual(
      results.map((r) => r.association),
      [1, 2, 3].map((answered) => ({
        group: 0x1063bf3f,
        connection: 1,
        answered,
        reopened: false,
      })),
    );
  });

  it('one request per connection and a protocol fallback: the lost request is resent, not the chain', async () => {
    const versions: string[] = [];
    const { results, connections } = await probeWith((pdu, ptype, c) => {
      if (ptype === PTYPE.bind) return c.send(ackBind(pdu, [accept('ndr32')]));
      if (c.received !== 1) return c.close();
      const major = requestStub('ndr32').decode(request.decode(pdu).stub).payload.readUInt16LE(2);
      versions.push(`${c.index}:v${major}`);
      c.send(major === 6 ? answerRequest(pdu, { hresult: 0x8007000d }) : answerRequest(pdu));
    });
    assert.deepEqual(reasons(results), ['ok']);
    assert.equal(results[0]?.protocol, 5);
    assert.deepEqual(versions, ['0:v6', '1:v5']);
    assert.equal(connections, 2);
  });

  it('an answer echoing another CMID is a mismatch', async () => {
    const { results } = await probeWith((pdu, ptype, c) => {
      if (ptype === PTYPE.bind) c.send(ackBind(pdu, [accept('ndr32')]));
      else
        c.send(
          answerRequest(pdu, {
            context: (ctx) => ({ ...ctx, cmidBytes: Buffer.alloc(16, 0x11) }),
          }),
        );
    });
    assert.deepEqual(reasons(results), ['mismatch']);
    assert.match(results[0]?.error?.message ?? '', /CMID/);
  });

  it('an RPC fault and a payload that fails its checks fail only their product: one connection carries all', async () => {
    // The answer is read where it arrives (one promise per exchange): what the reader
    // refuses rejects that call only, the association stays in sync for the next product.
    const { results, connections } = await probeWith(
      (pdu, ptype, c) => {
        const callId = pdu.readUInt32LE(12);
        if (ptype === PTYPE.bind) c.send(ackBind(pdu, [accept('ndr32')]));
        else if (c.received === 1) c.send(fault.encode({ callId, status: 0x1c010003 }));
        else if (c.received === 2)
          c.send(
            answerRequest(pdu, {
              context: (ctx) => ({ ...ctx, cmidBytes: Buffer.alloc(16, 0x11) }),
            }),
          );
        else c.send(answerRequest(pdu));
      },
      ['lab-windows', 'lab-office', 'lab-windows-v4'],
    );
    assert.deepEqual(reasons(results), ['rpc_fault', 'mismatch', 'ok']);
    assert.equal(connections, 1);
    assert.deepEqual(
      results.map((r) => [r.association?.connection, r.association?.answered]),
      [
        [1, 1],
        [1, 2],
        [1, 3],
      ],
    );
  });

  it('call id 1 (tolerated by vlmcs for Wine) is unexpected for the monitor', async () => {
    const { results } = await probeWith((pdu, ptype, c) => {
      if (ptype === PTYPE.bind) c.send(ackBind(pdu, [accept('ndr32')]));
      else c.send(answerRequest(pdu, { callId: 1 }));
    });
    assert.deepEqual(reasons(results), ['unexpected']);
  });

  it('unsolicited PDUs make the next call unexpected, and the product after it reconnects', async () => {
    const { results, connections } = await probeWith(
      (pdu, ptype, c) => {
        if (ptype === PTYPE.bind) c.send(ackBind(pdu, [accept('ndr32')]));
        else if (c.index === 0) c.send(Buffer.concat([answerRequest(pdu), answerRequest(pdu)]));
        else c.send(answerRequest(pdu));
      },
      ['lab-windows', 'lab-office', 'lab-windows-v4'],
    );
    assert.deepEqual(reasons(results), ['ok', 'unexpected', 'ok']);
    assert.equal(connections, 2);
  });

  it('an empty answer with a success code is malformed', async () => {
    const { results } = await probeWith((pdu, ptype, c) => {
      if (ptype === PTYPE.bind) c.send(ackBind(pdu, [accept('ndr32')]));
      else c.send(answerRequest(pdu, { hresult: 0 }));
    });
    assert.deepEqual(reasons(results), ['malformed']);
  });

  it('call ids start at 2 and increase per request on one connection', async () => {
    const ids: number[] = [];
    const { results } = await probeWith(
      (pdu, ptype, c) => {
        if (ptype === PTYPE.bind) {
          ids.push(pdu.readUInt32LE(12));
          c.send(ackBind(pdu, [accept('ndr32')]));
        } else {
          ids.push(pdu.readUInt32LE(12));
          c.send(answerRequest(pdu));
        }
      },
      ['lab-windows', 'lab-office', 'lab-windows-v4'],
    );
    assert.deepEqual(reasons(results), ['ok', 'ok', 'ok']);
    assert.deepEqual(ids, [2, 2, 3, 4]);
  });
});
