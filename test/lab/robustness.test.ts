// A hostile or broken client must not crash, stall or bloat the lab host, and closing the
// host must leave no socket or timer behind (docs/design.md principles 5 and 6).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { buildNdr32Bind, buildVlmcsBind, request, requestStub } from '../../src/kms/rpc/index.js';
import { encodeClientRequest, makeBaseRequest } from '../../src/kms/messages/index.js';
import { labProduct, startLabKmsHost } from '../../src/lab/index.js';
import { decideKmsRequest } from '../../src/lab/kms-answer.js';
import { defaultLabHostConfig } from '../../src/lab/host-config.js';
import { TestConnection, bindOn, exchange } from './lab-client.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { activeResources, assertNothingLeftOpen, settleHandles } from '../helpers/leaks.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function validRequestPdu(slug: string): Buffer {
  const p = labProduct(slug);
  const encoded = encodeClientRequest(
    makeBaseRequest({
      protocol: p.protocol,
      applicationId: p.applicationId,
      skuId: p.skuId,
      kmsCountedId: p.kmsCountedId,
      cmid: randomUUID(),
      nPolicy: p.nPolicy,
      workstation: 'fuzz',
    }),
  );
  return request.encode({ callId: 2, stub: requestStub('ndr32').encode(encoded) });
}

describe('lab host robustness', () => {
  it('close() leaves no socket or timer behind, whatever is in flight', async () => {
    await settleHandles();
    const before = activeResources();
    const host = await startLabKmsHost({ delays: { response: 60_000 } });
    const conns: TestConnection[] = [];
    // A request waiting on a 60 s response delay.
    const delayed = await TestConnection.connect(host.port);
    await bindOn(delayed, 'ndr32');
    delayed.send(validRequestPdu('lab-windows'));
    conns.push(delayed);
    // An idle connection and one holding half a PDU.
    conns.push(await TestConnection.connect(host.port));
    const half = await TestConnection.connect(host.port);
    half.send(buildVlmcsBind().subarray(0, 50));
    conns.push(half);
    // A slow drip in progress (its own connection, configured before the request).
    await host.configure({ fault: { mode: 'slow_drip', intervalMs: 20 }, delays: { response: 0 } });
    const drip = await TestConnection.connect(host.port);
    await bindOn(drip, 'ndr32');
    drip.send(validRequestPdu('lab-windows'));
    conns.push(drip);
    await sleep(100);
    assert.ok(drip.received.length > 60, 'the drip is running');
    // A silent connection.
    await host.configure({ fault: 'silent' });
    const silent = await TestConnection.connect(host.port);
    silent.send(buildNdr32Bind());
    conns.push(silent);
    await sleep(20);
    assert.equal(host.stats().activeConnections, 5);

    await host.close();
    // The host destroyed its side of every connection: each client sees the close.
    await Promise.all(conns.map((c) => c.waitClosed()));
    assert.equal(host.stats().activeConnections, 0);
    await assertNothingLeftOpen(before);
    await host.close(); // idempotent
  });

  it('close() while refusing connections (listener closed) also leaves nothing', async () => {
    await settleHandles();
    const before = activeResources();
    const host = await startLabKmsHost({ fault: 'refuse_connection' });
    await host.configure({ fault: null });
    await host.configure({ fault: 'refuse_connection' });
    await host.close();
    await assertNothingLeftOpen(before);
  });

  it('a failed reopen after refuse_connection (port taken) rejects, and a later retry works', async () => {
    const host = await startLabKmsHost();
    const { port } = host;
    try {
      await host.configure({ fault: 'refuse_connection' });
      const squatter = net.createServer();
      await new Promise<void>((r) => squatter.listen({ port, host: '127.0.0.1' }, () => r()));
      try {
        await assert.rejects(host.configure({ fault: null }), /EADDRINUSE/);
      } finally {
        await new Promise<void>((r) => squatter.close(() => r()));
      }
      await host.configure({ fault: null });
      assert.ok((await exchange(port, labProduct('lab-windows'))).response);
    } finally {
      await host.close();
    }
  });

  it('closes connections idle longer than idleTimeoutMs', async () => {
    const host = await startLabKmsHost({ idleTimeoutMs: 150 });
    try {
      const conn = await TestConnection.connect(host.port);
      const t = performance.now();
      await conn.waitClosed(2000);
      const elapsed = performance.now() - t;
      assert.ok(elapsed >= 140 && elapsed < 1000, `${elapsed} ms`);
      assert.ok((await exchange(host.port, labProduct('lab-windows'))).response);
    } finally {
      await host.close();
    }
  });

  it('drops a client announcing an oversized PDU, HTTP, or a flood of pipelined PDUs', async () => {
    const host = await startLabKmsHost();
    try {
      const oversized = Buffer.from(buildNdr32Bind());
      oversized.writeUInt16LE(65535, 8);
      const flood = Buffer.concat(Array.from({ length: 40 }, () => buildNdr32Bind()));
      const http = Buffer.from('GET / HTTP/1.1\r\nHost: kms\r\n\r\n');
      const wrongVersion = Buffer.from(buildNdr32Bind());
      wrongVersion[0] = 4;
      for (const bytes of [oversized, flood, http, wrongVersion]) {
        const conn = await TestConnection.connect(host.port);
        conn.send(bytes);
        await conn.waitClosed(2000);
      }
      assert.ok(host.stats().protocolErrors >= 4);
      assert.equal(host.stats().internalErrors, 0);
      assert.ok((await exchange(host.port, labProduct('lab-windows'))).response);
    } finally {
      await host.close();
    }
  });

  it('fuzz: random and mutated bytes over TCP never crash it; valid clients keep being answered', async () => {
    const seed = Number(process.env.LAB_FUZZ_SEED ?? Date.now() % 2 ** 31);
    const random = seededRandom(seed);
    const bytes = (n: number): Buffer =>
      Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
    const host = await startLabKmsHost({ idleTimeoutMs: 2000 });
    const seeds = [buildNdr32Bind(), buildVlmcsBind(), validRequestPdu('lab-windows')];
    try {
      for (let batch = 0; batch < 15; batch++) {
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            const conn = await TestConnection.connect(host.port);
            const kind = Math.floor(random() * 4);
            if (kind === 0) {
              conn.send(bytes(1 + Math.floor(random() * 600)));
            } else {
              const base = seeds[Math.floor(random() * seeds.length)] as Buffer;
              const pdu = Buffer.from(base);
              // Flip a few bytes, headers included, keeping frag_length sometimes honest.
              const flips = 1 + Math.floor(random() * 6);
              for (let i = 0; i < flips; i++) {
                pdu[Math.floor(random() * pdu.length)] = Math.floor(random() * 256);
              }
              if (kind === 2) pdu.writeUInt16LE(pdu.length, 8);
              if (kind === 3) conn.send(buildNdr32Bind());
              conn.send(pdu);
            }
            await sleep(5 + Math.floor(random() * 20));
            conn.close();
          }),
        );
      }
      // The host accepts asynchronously: wait until it has seen every connection close.
      for (let i = 0; i < 100 && host.stats().connections < 300; i++) await sleep(50);
      for (let i = 0; i < 100 && host.stats().activeConnections > 0; i++) await sleep(50);
      const stats = host.stats();
      assert.equal(stats.internalErrors, 0, `seed ${seed}`);
      assert.equal(stats.connections, 300);
      for (const slug of ['lab-windows', 'lab-windows-v5', 'lab-windows-v4', 'lab-office']) {
        assert.ok((await exchange(host.port, labProduct(slug))).response, `${slug}, seed ${seed}`);
      }
      for (let i = 0; i < 100 && host.stats().activeConnections > 0; i++) await sleep(20);
      assert.equal(host.stats().activeConnections, 0, `seed ${seed}`);
    } finally {
      await host.close();
    }
  });

  it('fuzz: decideKmsRequest refuses random payloads without throwing', () => {
    const random = seededRandom(1234);
    const config = defaultLabHostConfig();
    for (let i = 0; i < 2000; i++) {
      const length = Math.floor(random() * 300);
      const payload = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
      if (length >= 4 && random() < 0.7) payload.writeUInt16LE(4 + Math.floor(random() * 3), 2);
      const d = decideKmsRequest(payload, config, Date.now());
      assert.equal(d.kind, 'refuse');
    }
  });
});
