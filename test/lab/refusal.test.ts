// Principle 4: the lab never activates a real product and never listens beyond loopback.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { customProductSchema } from '../../src/config/products.js';
import { listProducts, buildProductTable } from '../../src/kms/products/index.js';
import {
  LAB_PRODUCTS,
  NonLoopbackAddressError,
  isLoopbackAddress,
  labProduct,
  labProductByKmsCountedId,
  labProductConfigs,
  startLabKmsHost,
} from '../../src/lab/index.js';
import type { LabKmsHost } from '../../src/lab/index.js';
import { TestConnection, bindOn, exchange, requestOn } from './lab-client.js';

const REAL = listProducts();

describe('lab products', () => {
  it('are made up: every ID starts with 1ab0 and none is a real KMS counted ID or SKU', () => {
    const real = new Set(REAL.flatMap((p) => [p.kmsCountedId, p.skuId]));
    for (const p of LAB_PRODUCTS) {
      assert.match(p.kmsCountedId, /^1ab0/);
      assert.match(p.skuId, /^1ab0/);
      assert.ok(!real.has(p.kmsCountedId), p.slug);
      assert.ok(!real.has(p.skuId), p.slug);
    }
    assert.equal(new Set(LAB_PRODUCTS.map((p) => p.kmsCountedId)).size, LAB_PRODUCTS.length);
  });

  it('no real KMS counted ID maps to a lab product', () => {
    assert.ok(REAL.length >= 25, 'the product table is loaded');
    for (const p of REAL) assert.equal(labProductByKmsCountedId(p.kmsCountedId), undefined);
  });

  it('are valid custom products of the monitor configuration', () => {
    const table = buildProductTable(customProductSchema.array().parse(labProductConfigs()));
    // The very products a monitor builds from the lab's configuration entries.
    for (const lab of LAB_PRODUCTS) assert.deepEqual(table.find(lab.slug), lab);
    assert.ok(LAB_PRODUCTS.every((p) => !p.builtIn && p.counter !== null));
  });

  it('labProduct names the lab slugs for an unknown one, real slugs included', () => {
    assert.throws(
      () => labProduct('windows-10-11'),
      /no lab product "windows-10-11"; one of lab-windows/,
    );
  });
});

describe('lab host refuses real products', () => {
  let host: LabKmsHost;
  before(async () => {
    host = await startLabKmsHost();
  });
  after(() => host.close());

  it(`answers 0xC004F042 to every real KMS counted ID (${REAL.length} products × v4/v5/v6)`, async () => {
    const conn = await TestConnection.connect(host.port);
    try {
      const bound = await bindOn(conn, 'ndr32');
      let callId = 2;
      for (const p of REAL) {
        for (const protocol of [4, 5, 6]) {
          const r = await requestOn(conn, bound, p, { protocol, callId: callId++ });
          assert.equal(r.response, null, `${p.slug} v${protocol} was answered`);
          assert.equal(r.hresult, 0xc004f042, `${p.slug} v${protocol}`);
        }
      }
    } finally {
      conn.close();
    }
    assert.equal(host.count('windows') + host.count('office-2010') + host.count('office-2013+'), 0);
  });

  it('refuses a real product over NDR64 too', async () => {
    const p = REAL.find((x) => x.slug === 'windows-10-11');
    assert.ok(p);
    const r = await exchange(host.port, p, { bind: 'vlmcs', useNdr64: true });
    assert.equal(r.syntax, 'ndr64');
    assert.equal(r.hresult, 0xc004f042);
  });

  it('refuses a lab KMS ID sent with another application ID', async () => {
    const lab = LAB_PRODUCTS[0];
    assert.ok(lab);
    const r = await exchange(host.port, {
      ...lab,
      applicationId: '0ff1ce15-a989-479d-af46-f275c6370663',
    });
    assert.equal(r.hresult, 0xc004f042);
  });

  it('refuses the lab products named in `refuse`, and answers them again when lifted', async () => {
    const [windows, office] = [LAB_PRODUCTS[0], LAB_PRODUCTS[2]];
    assert.ok(windows && office);
    await host.configure({ refuse: ['lab-office'] });
    try {
      assert.equal((await exchange(host.port, office)).hresult, 0xc004f042);
      assert.ok((await exchange(host.port, windows)).response);
    } finally {
      await host.configure({ refuse: [] });
    }
    assert.ok((await exchange(host.port, office)).response);
  });
});

describe('loopback only', () => {
  it('recognises loopback addresses', () => {
    for (const a of [
      '127.0.0.1',
      '127.1.2.3',
      '127.255.255.254',
      '::1',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.5',
    ]) {
      assert.ok(isLoopbackAddress(a), a);
    }
    for (const a of [
      '0.0.0.0',
      '10.0.0.1',
      '192.168.1.1',
      '::',
      '::ffff:10.0.0.1',
      'fe80::1',
      'localhost',
      'example.com',
      '128.0.0.1',
      '',
    ]) {
      assert.ok(!isLoopbackAddress(a), a);
    }
  });

  for (const address of [
    '0.0.0.0',
    '10.0.0.1',
    '::',
    '192.168.0.10',
    'kms.example.com',
    '::ffff:0.0.0.0',
  ]) {
    it(`refuses to listen on ${address} without creating a server`, async () => {
      const before = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
      await assert.rejects(startLabKmsHost({ address }), NonLoopbackAddressError);
      const after = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
      assert.equal(after, before);
    });
  }

  it('listens on another 127/8 address, on ::1 and on "localhost" (127.0.0.1)', async () => {
    for (const [address, expected] of [
      ['127.0.0.2', '127.0.0.2'],
      ['localhost', '127.0.0.1'],
      ['::1', '::1'],
    ] as const) {
      let host: LabKmsHost;
      try {
        host = await startLabKmsHost({ address });
      } catch (error) {
        // A machine without IPv6 loopback cannot test ::1.
        if (address === '::1' && (error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL')
          continue;
        throw error;
      }
      try {
        assert.equal(host.address, expected);
        await new Promise<void>((resolve, reject) => {
          const s = net.connect({ host: expected, port: host.port }, () => {
            s.destroy();
            resolve();
          });
          s.on('error', reject);
        });
      } finally {
        await host.close();
      }
    }
  });
});
