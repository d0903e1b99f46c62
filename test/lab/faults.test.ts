// Each fault mode of the lab host puts on the wire exactly the bytes it stands for.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  FAULT_STATUS,
  PTYPE,
  bindNak,
  buildNdr32Bind,
  decodePdu,
  fault as faultPdu,
  request,
  requestStub,
  responseStub,
  response as responsePdu,
} from '../../src/kms/rpc/index.js';
import {
  decodeClientResponse,
  encodeClientRequest,
  makeBaseRequest,
} from '../../src/kms/messages/index.js';
import { KmsDecodeError } from '../../src/kms/errors.js';
import { LAB_FAULT_MODES, findLabProduct, freePort, startLabKmsHost } from '../../src/lab/index.js';
import type { LabFault, LabKmsHost } from '../../src/lab/index.js';
import type { Product } from '../../src/kms/products/index.js';
import { HRESULT } from '../../src/kms/hresult.js';
import { TestConnection, bindOn, exchange, requestOn } from './lab-client.js';

function product(slug: string): Product {
  const p = findLabProduct(slug);
  assert.ok(p, slug);
  return p;
}

function connectError(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(null);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A request PDU for `slug` on context 0 (NDR32) and what is needed to check its answer. */
function kmsRequest(slug: string, callId = 2) {
  const p = product(slug);
  const encoded = encodeClientRequest(
    makeBaseRequest({
      protocol: p.protocol,
      applicationId: p.applicationId,
      skuId: p.skuId,
      kmsCountedId: p.kmsCountedId,
      cmid: randomUUID(),
      nPolicy: p.nPolicy,
      workstation: 'fault-test',
    }),
  );
  const pdu = request.encode({ callId, stub: requestStub('ndr32').encode(encoded) });
  return { pdu, context: encoded.context };
}

/** Binds, sends one request and returns the connection for inspection. */
async function bindAndRequest(port: number, slug = 'lab-windows') {
  const conn = await TestConnection.connect(port);
  await bindOn(conn, 'ndr32');
  const req = kmsRequest(slug);
  conn.send(req.pdu);
  return { conn, req };
}

function decodeReason(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof KmsDecodeError, String(error));
    return error.reason;
  }
  return 'ok';
}

describe('lab host fault modes', () => {
  let host: LabKmsHost;
  before(async () => {
    host = await startLabKmsHost();
  });
  after(() => host.close());

  async function withFault(fault: LabFault, body: () => Promise<void>): Promise<void> {
    await host.configure({ fault });
    try {
      await body();
    } finally {
      await host.configure({ fault: null });
    }
  }

  it('rejects unknown fault modes', async () => {
    await assert.rejects(host.configure({ fault: 'nope' as LabFault }), /unknown lab fault/);
    assert.equal(LAB_FAULT_MODES.length, 13);
  });

  it('refuse_connection: the port refuses connections, and serves again once cleared', async () => {
    const port = host.port;
    await withFault('refuse_connection', async () => {
      assert.equal(await connectError(port), 'ECONNREFUSED');
    });
    assert.equal(host.port, port);
    assert.equal(await connectError(port), null);
    assert.ok((await exchange(port, product('lab-windows'))).response);
  });

  it('freePort(): a loopback port with nothing listening', async () => {
    assert.equal(await connectError(await freePort()), 'ECONNREFUSED');
  });

  it('silent: accepts, reads, never answers', async () => {
    await withFault('silent', async () => {
      const conn = await TestConnection.connect(host.port);
      conn.send(buildNdr32Bind());
      await sleep(200);
      assert.equal(conn.received.length, 0);
      assert.equal(conn.closed, false);
      conn.close();
    });
  });

  it('close_after_bind: answers the bind, closes on the request without a byte', async () => {
    await withFault('close_after_bind', async () => {
      const { conn } = await bindAndRequest(host.port);
      const afterBind = conn.received.length;
      await conn.waitClosed();
      assert.equal(conn.received.length, afterBind);
    });
  });

  it('bind_nak: a Bind-Nak with the configured reason', async () => {
    await withFault({ mode: 'bind_nak', code: 4 }, async () => {
      const conn = await TestConnection.connect(host.port);
      conn.send(buildNdr32Bind());
      const nak = bindNak.decode(await conn.readPdu());
      assert.equal(nak.rejectReason, 4);
      assert.equal(nak.callId, 2);
      conn.close();
    });
  });

  for (const [fault, status] of [
    ['fault_pdu', FAULT_STATUS.server_too_busy],
    [{ mode: 'fault_pdu', code: FAULT_STATUS.unk_if }, FAULT_STATUS.unk_if],
  ] as const) {
    it(`fault_pdu: a Fault PDU with status 0x${status.toString(16)}`, async () => {
      await withFault(fault, async () => {
        const { conn } = await bindAndRequest(host.port);
        const f = faultPdu.decode(await conn.readPdu());
        assert.equal(f.status, status);
        assert.equal(f.callId, 2);
        conn.close();
      });
    });
  }

  it('garbage: bytes that are no RPC PDU (version ≠ 5, frag_length < 16)', async () => {
    await withFault('garbage', async () => {
      const conn = await TestConnection.connect(host.port);
      conn.send(buildNdr32Bind());
      await conn.waitUntil(() => conn.received.length >= 16, 2000, 'garbage');
      assert.notEqual(conn.received[0], 5);
      assert.ok(conn.received.readUInt16LE(8) < 16);
      conn.close();
    });
  });

  it('garbage in the request phase: the bind is answered, the request gets garbage', async () => {
    await withFault({ mode: 'garbage', phase: 'request' }, async () => {
      const { conn } = await bindAndRequest(host.port);
      const bindAckLength = conn.received.readUInt16LE(8);
      await conn.waitUntil(() => conn.received.length >= bindAckLength + 16, 2000, 'garbage');
      assert.notEqual(conn.received[bindAckLength], 5);
      conn.close();
    });
  });

  it('partial_pdu: a header claiming more than is sent, then silence', async () => {
    await withFault('partial_pdu', async () => {
      const conn = await TestConnection.connect(host.port);
      conn.send(buildNdr32Bind());
      await conn.waitUntil(() => conn.received.length >= 16, 2000, 'header');
      await sleep(150);
      const claimed = conn.received.readUInt16LE(8);
      assert.equal(conn.received[2], PTYPE.bindAck);
      assert.ok(conn.received.length < claimed, `${conn.received.length} < ${claimed}`);
      assert.equal(conn.closed, false);
      conn.close();
    });
  });

  it('partial_pdu in the request phase: half a response', async () => {
    await withFault({ mode: 'partial_pdu', phase: 'request' }, async () => {
      const { conn } = await bindAndRequest(host.port);
      const ackLength = conn.received.readUInt16LE(8);
      await conn.waitUntil(() => conn.received.length >= ackLength + 16, 2000, 'header');
      await sleep(100);
      const rest = conn.received.subarray(ackLength);
      assert.equal(rest[2], PTYPE.response);
      assert.ok(rest.length < rest.readUInt16LE(8));
      conn.close();
    });
  });

  it('oversized_frag_length: a header with frag_length 65535', async () => {
    await withFault('oversized_frag_length', async () => {
      const conn = await TestConnection.connect(host.port);
      conn.send(buildNdr32Bind());
      await conn.waitUntil(() => conn.received.length >= 16, 2000, 'header');
      assert.equal(conn.received[0], 5);
      assert.equal(conn.received.readUInt16LE(8), 65535);
      await sleep(100);
      assert.ok(conn.received.length < 100);
      conn.close();
    });
  });

  it('wrong_call_id: a valid response under another call id (never 1)', async () => {
    await withFault('wrong_call_id', async () => {
      const { conn, req } = await bindAndRequest(host.port);
      const got = responsePdu.decode(await conn.readPdu());
      assert.notEqual(got.callId, 2);
      assert.notEqual(got.callId, 1);
      const stub = responseStub('ndr32').decode(got.stub);
      assert.ok(stub.payload);
      assert.ok(decodeClientResponse(stub.payload, req.context).activeClients >= 1);
      conn.close();
    });
  });

  for (const [mode, slug, reason] of [
    ['undecryptable', 'lab-windows', 'decrypt_failed'],
    ['undecryptable', 'lab-windows-v5', 'decrypt_failed'],
    ['undecryptable', 'lab-windows-v4', 'verify_failed'],
    ['unverifiable', 'lab-windows', 'verify_failed'],
    ['unverifiable', 'lab-windows-v5', 'verify_failed'],
    ['unverifiable', 'lab-windows-v4', 'verify_failed'],
  ] as const) {
    it(`${mode}: a ${slug} response fails with ${reason}`, async () => {
      await withFault(mode, async () => {
        // Several times: the corruption must not pass by chance.
        for (let i = 0; i < 5; i++) {
          const { conn, req } = await bindAndRequest(host.port, slug);
          const got = responsePdu.decode(await conn.readPdu());
          const stub = responseStub('ndr32').decode(got.stub);
          assert.ok(stub.payload);
          assert.equal(stub.hresult, 0);
          const payload = stub.payload;
          assert.equal(
            decodeReason(() => decodeClientResponse(payload, req.context)),
            reason,
          );
          conn.close();
        }
      });
    });
  }

  it('slow_drip: the valid response, one byte per interval', async () => {
    await withFault({ mode: 'slow_drip', intervalMs: 50 }, async () => {
      const { conn } = await bindAndRequest(host.port);
      const ackLength = conn.received.readUInt16LE(8);
      await sleep(400);
      // About 8 bytes are due; the bounds only tell a drip from a burst or a stall, on a
      // loaded machine too (timers fire late, never early).
      const dripped = conn.received.length - ackLength;
      assert.ok(dripped >= 2 && dripped <= 16, `${dripped} bytes in 400 ms`);
      conn.close();
    });
    await withFault({ mode: 'slow_drip', intervalMs: 1 }, async () => {
      const { conn, req } = await bindAndRequest(host.port);
      const got = responsePdu.decode(await conn.readPdu(5000));
      const stub = responseStub('ndr32').decode(got.stub);
      assert.ok(stub.payload);
      assert.ok(decodeClientResponse(stub.payload, req.context).activeClients >= 1);
      conn.close();
    });
  });

  for (const code of Object.values(HRESULT).filter((c) => c !== HRESULT.S_OK)) {
    it(`hresult 0x${code.toString(16).toUpperCase()}: a null payload and that return value`, async () => {
      await withFault({ mode: 'hresult', code }, async () => {
        const r = await exchange(host.port, product('lab-windows'));
        assert.equal(r.response, null);
        assert.equal(r.hresult, code);
      });
    });
  }

  it('hresult defaults to 0xC004F042 and does not count the client', async () => {
    const before = host.count('office-2013+');
    await withFault('hresult', async () => {
      const r = await exchange(host.port, product('lab-office'));
      assert.equal(r.hresult, 0xc004f042);
    });
    assert.equal(host.count('office-2013+'), before);
  });

  it('a fault limited to some products leaves the others answered', async () => {
    await withFault({ mode: 'hresult', code: 0xc004f06c, products: ['lab-office'] }, async () => {
      assert.equal((await exchange(host.port, product('lab-office'))).hresult, 0xc004f06c);
      assert.ok((await exchange(host.port, product('lab-windows'))).response);
    });
  });

  it('counts the faults it served', async () => {
    const before = host.stats().faultsServed;
    await withFault('fault_pdu', async () => {
      const { conn } = await bindAndRequest(host.port);
      await conn.readPdu();
      conn.close();
    });
    assert.equal(host.stats().faultsServed, before + 1);
  });
});

describe('lab host protocol errors and knobs', () => {
  let host: LabKmsHost;
  before(async () => {
    host = await startLabKmsHost();
  });
  after(() => host.close());

  it('answers 0x8007000D to a protocol it does not serve (protocols option)', async () => {
    await host.configure({ protocols: [4, 5] });
    try {
      assert.equal((await exchange(host.port, product('lab-windows'))).hresult, 0x8007000d);
      const v5 = await exchange(host.port, product('lab-windows'), { protocol: 5 });
      assert.equal(v5.response?.version.major, 5, 'the client falls back to v5');
    } finally {
      await host.configure({ protocols: [4, 5, 6] });
    }
  });

  it('answers 0x8007000D to protocol 7.0 and to an unreadable payload', async () => {
    const conn = await TestConnection.connect(host.port);
    const bound = await bindOn(conn, 'ndr32');
    assert.equal(bound.contextId, 0);
    for (const [i, payload] of [
      Buffer.from('00000700' + '00'.repeat(256), 'hex'),
      Buffer.from('00000600' + 'ab'.repeat(256), 'hex'), // v6 of the wrong length
      Buffer.from('0000', 'hex'),
    ].entries()) {
      conn.send(request.encode({ callId: 10 + i, stub: requestStub('ndr32').encode({ payload }) }));
      const got = responsePdu.decode(await conn.readPdu());
      assert.equal(got.callId, 10 + i);
      assert.equal(responseStub('ndr32').decode(got.stub).hresult, 0x8007000d);
    }
    conn.close();
  });

  it('answers a Fault 0x1C010003 to a request on a context never accepted', async () => {
    const conn = await TestConnection.connect(host.port);
    conn.send(kmsRequest('lab-windows').pdu); // no bind at all
    const f = faultPdu.decode(await conn.readPdu());
    assert.equal(f.status, FAULT_STATUS.unk_if);
    assert.equal(f.pfcFlags, 0x23);
    assert.equal(f.allocHint, 32);
    conn.close();
  });

  it('answers a bad opnum with op_rng_error and a bad stub with bad_stub_data', async () => {
    const conn = await TestConnection.connect(host.port);
    await bindOn(conn, 'ndr32');
    const good = kmsRequest('lab-windows');
    const decoded = decodePdu(good.pdu).pdu;
    assert.ok(decoded.type === 'request');
    conn.send(request.encode({ ...decoded, opnum: 3 }));
    assert.equal(faultPdu.decode(await conn.readPdu()).status, FAULT_STATUS.op_rng_error);
    conn.send(request.encode({ callId: 3, stub: Buffer.from('0400000005000000aabbccdd', 'hex') }));
    assert.equal(faultPdu.decode(await conn.readPdu()).status, FAULT_STATUS.bad_stub_data);
    conn.close();
  });

  it('with ndr64: false rejects NDR64 and BTFN, and accepts NDR32 (vlmcsd -N0 -B0)', async () => {
    await host.configure({ ndr64: false, btfn: false });
    try {
      const r = await exchange(host.port, product('lab-windows'), { bind: 'vlmcs' });
      assert.equal(r.syntax, 'ndr32');
      assert.ok(r.response);
    } finally {
      await host.configure({ ndr64: true, btfn: true });
    }
  });

  it('by default accepts NDR64 and answers NDR64 stubs, several requests on one connection', async () => {
    const conn = await TestConnection.connect(host.port);
    const bound = await bindOn(conn, 'vlmcs', true);
    assert.equal(bound.syntax, 'ndr64');
    for (let i = 0; i < 3; i++) {
      const r = await requestOn(conn, bound, product('lab-windows'), { callId: 2 + i });
      assert.equal(r.callId, 2 + i);
      assert.ok(r.response);
    }
    conn.close();
  });

  it('configure() changes ePID, HWID and intervals at run time and rejects bad values', async () => {
    await host.configure({
      epid: { windows: '06401-00206-271-298329-03-1033-9600.0000-2922017' },
      hwid: '364f463a8863d35f',
      activationIntervalMinutes: 45,
      renewalIntervalMinutes: 2880,
    });
    const r = await exchange(host.port, product('lab-windows'));
    assert.equal(r.response?.epid, '06401-00206-271-298329-03-1033-9600.0000-2922017');
    assert.equal(r.response?.hwid, '364F463A8863D35F');
    assert.equal(r.response?.activationIntervalMinutes, 45);
    assert.equal(r.response?.renewalIntervalMinutes, 2880);
    await assert.rejects(host.configure({ hwid: 'xyz' }), /hwid/);
    await assert.rejects(host.configure({ refuse: ['windows-10-11'] }), /not a lab product/);
    await assert.rejects(host.configure({ epid: { nope: 'x' } }), /unknown application/);
    await assert.rejects(host.configure({ protocols: [7] }), /protocols/);
    assert.equal(host.settings().hwid, '364F463A8863D35F', 'a rejected change changes nothing');
  });

  it('refuses a client clock outside maxClockSkewMinutes with 0xC004F06C', async () => {
    let now = Date.now();
    const skewed = await startLabKmsHost({ now: () => now, maxClockSkewMinutes: 240 });
    try {
      assert.ok((await exchange(skewed.port, product('lab-windows'))).response);
      now += 5 * 60 * 60 * 1000;
      assert.equal((await exchange(skewed.port, product('lab-windows'))).hresult, 0xc004f06c);
    } finally {
      await skewed.close();
    }
  });

  it('refuses an absurd N policy with 0xC004D104 (vlmcsd overcharge)', async () => {
    const r = await exchange(host.port, { ...product('lab-windows'), nPolicy: 400 });
    assert.equal(r.hresult, 0xc004d104);
  });

  it('delays the bind_ack and the response by the configured times', async () => {
    await host.configure({ delays: { bindAck: 150, response: 200 } });
    try {
      const conn = await TestConnection.connect(host.port);
      let t = performance.now();
      const bound = await bindOn(conn, 'ndr32');
      assert.ok(performance.now() - t >= 140, 'bind_ack delay');
      t = performance.now();
      assert.ok((await requestOn(conn, bound, product('lab-windows'))).response);
      assert.ok(performance.now() - t >= 190, 'response delay');
      conn.close();
    } finally {
      await host.configure({ delays: { bindAck: 0, response: 0 } });
    }
  });

  it('delays reading a new connection by delays.accept', async () => {
    await host.configure({ delays: { accept: 200 } });
    try {
      const t = performance.now();
      await exchange(host.port, product('lab-windows'));
      assert.ok(performance.now() - t >= 190);
    } finally {
      await host.configure({ delays: { accept: 0 } });
    }
  });
});
