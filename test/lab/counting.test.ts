// Counting as a KMS host counts (docs/protocol.md §5.1): unique CMIDs, 30-day lifetime after
// the latest request, a table of 2 × the largest N seen, one table per application.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CmidTable, CMID_LIFETIME_MS, labProduct, startLabKmsHost } from '../../src/lab/index.js';
import type { LabKmsHost } from '../../src/lab/index.js';
import { TestConnection, bindOn, requestOn } from './lab-client.js';

const DAY = 24 * 60 * 60 * 1000;

/** Sends one request per CMID over one connection; returns the counts the host reported. */
async function counts(host: LabKmsHost, slug: string, cmids: string[]): Promise<number[]> {
  const conn = await TestConnection.connect(host.port);
  try {
    const bound = await bindOn(conn, 'ndr32');
    const out: number[] = [];
    for (const [i, cmid] of cmids.entries()) {
      const r = await requestOn(conn, bound, labProduct(slug), { cmid, callId: 2 + i });
      assert.ok(r.response, `request ${i} refused with 0x${r.hresult.toString(16)}`);
      out.push(r.response.activeClients);
    }
    return out;
  } finally {
    conn.close();
  }
}

function fresh(n: number): string[] {
  return Array.from({ length: n }, () => randomUUID());
}

describe('CmidTable', () => {
  it('counts unique CMIDs, refreshes on renewal and caps at 2 × N', () => {
    let t = 0;
    const table = new CmidTable(() => t);
    const a = randomUUID();
    assert.equal(table.touch(a, 5), 1);
    assert.equal(table.touch(a.toUpperCase(), 5), 1, 'CMIDs compare case-insensitively');
    assert.equal(table.touch(randomUUID(), 5), 2);
    for (const c of fresh(20)) table.touch(c, 5);
    assert.equal(table.count(), 10);
    assert.equal(table.capacity, 10);
    t += 1;
    // A larger N grows the table for good.
    assert.equal(table.touch(randomUUID(), 25), 11);
    assert.equal(table.capacity, 50);
    table.touch(randomUUID(), 5);
    assert.equal(table.capacity, 50);
  });

  it('evicts the least recently seen entry when full', () => {
    let t = 0;
    const table = new CmidTable(() => t);
    const ids = fresh(10);
    for (const id of ids) {
      table.touch(id, 5);
      t += 1000;
    }
    table.touch(ids[0] as string, 5); // renewal: now the newest
    table.touch(randomUUID(), 5);
    assert.equal(table.count(), 10);
    assert.ok(table.has(ids[0] as string));
    assert.ok(!table.has(ids[1] as string), 'the oldest contact was dropped');
  });

  it('expires an entry 30 days after its latest request', () => {
    let t = 1_000_000;
    const table = new CmidTable(() => t);
    const a = randomUUID();
    const b = randomUUID();
    table.touch(a, 25);
    t += 20 * DAY;
    table.touch(b, 25);
    table.touch(a, 25); // renewal refreshes a's 30 days
    t += 29 * DAY;
    assert.equal(table.count(), 2);
    t += 1 * DAY + 1; // 30 days after b's and a's latest request
    assert.equal(table.count(), 0);
    assert.equal(CMID_LIFETIME_MS, 30 * DAY);
  });

  it('prefills at most 2 × N random entries', () => {
    const table = new CmidTable(Date.now);
    table.prefill(24, 25);
    assert.equal(table.count(), 24);
    const small = new CmidTable(Date.now);
    small.prefill(30, 5);
    assert.equal(small.count(), 10);
  });
});

describe('lab host counting over the wire', () => {
  it('same CMID twice counts once, a new CMID one more', async () => {
    const host = await startLabKmsHost();
    try {
      const a = randomUUID();
      assert.deepEqual(await counts(host, 'lab-windows', [a, a, randomUUID(), a]), [1, 1, 2, 2]);
      assert.equal(host.count('windows'), 2);
    } finally {
      await host.close();
    }
  });

  it('a probe repeated 100 times from one CMID adds exactly one client', async () => {
    const host = await startLabKmsHost({ counts: { windows: 10 } });
    try {
      const cmid = randomUUID();
      const seen = await counts(host, 'lab-windows', Array<string>(100).fill(cmid));
      assert.deepEqual(new Set(seen), new Set([11]));
      assert.equal(host.count('lab-windows'), 11);
    } finally {
      await host.close();
    }
  });

  it('caps the count at 2 × N (10 for Office, 50 for Windows)', async () => {
    const host = await startLabKmsHost();
    try {
      const office = await counts(host, 'lab-office', fresh(14));
      assert.deepEqual(office.slice(-5), [10, 10, 10, 10, 10]);
      assert.equal(Math.max(...office), 10);
      const windows = await counts(host, 'lab-windows', fresh(60));
      assert.equal(Math.max(...windows), 50);
      assert.equal(windows.at(-1), 50);
    } finally {
      await host.close();
    }
  });

  it('a Windows table seen only by servers (N 5) holds 10, then grows to 50 with a client', async () => {
    const host = await startLabKmsHost();
    try {
      const server = await counts(host, 'lab-windows-server', fresh(12));
      assert.equal(server.at(-1), 10);
      const client = await counts(host, 'lab-windows', fresh(5));
      assert.deepEqual(client, [11, 12, 13, 14, 15]);
    } finally {
      await host.close();
    }
  });

  it('N − 1 prefilled entries give N to the first new client', async () => {
    const host = await startLabKmsHost({ counts: { windows: 24, 'office-2013+': 4 } });
    try {
      assert.equal(host.count('windows'), 24);
      assert.deepEqual(await counts(host, 'lab-windows', fresh(1)), [25]);
      assert.deepEqual(await counts(host, 'lab-office', fresh(1)), [5]);
    } finally {
      await host.close();
    }
  });

  it('Windows and Windows Server share a counter; each Office application has its own', async () => {
    const host = await startLabKmsHost();
    try {
      assert.deepEqual(await counts(host, 'lab-windows', fresh(3)), [1, 2, 3]);
      assert.deepEqual(await counts(host, 'lab-windows-server', fresh(1)), [4]);
      assert.deepEqual(await counts(host, 'lab-windows-v4', fresh(1)), [5]);
      assert.deepEqual(await counts(host, 'lab-windows-v5', fresh(1)), [6]);
      assert.deepEqual(await counts(host, 'lab-office', fresh(2)), [1, 2]);
      assert.deepEqual(await counts(host, 'lab-office-2010', fresh(1)), [1]);
      assert.equal(host.count('windows'), 6);
      assert.equal(host.count('55c92734-d682-4d71-983e-d6ec3f16059f'), 6);
      assert.equal(host.count('lab-windows-server'), 6);
      assert.equal(host.count('office-2013+'), 2);
      assert.equal(host.count('lab-office-2010'), 1);
    } finally {
      await host.close();
    }
  });

  it('entries expire 30 days after the latest request (injected clock)', async () => {
    let now = Date.UTC(2025, 0, 1);
    const host = await startLabKmsHost({ now: () => now, counts: { windows: 24 } });
    try {
      const a = randomUUID();
      assert.deepEqual(await counts(host, 'lab-windows', [a]), [25]);
      now += 20 * DAY;
      assert.deepEqual(await counts(host, 'lab-windows', [a]), [25], 'renewal refreshes');
      now += 10 * DAY + 1; // the prefilled entries are 30 days old now; a is 10 days old
      assert.equal(host.count('windows'), 1);
      now += 20 * DAY;
      assert.equal(host.count('windows'), 0);
      assert.deepEqual(await counts(host, 'lab-windows', [a]), [1]);
    } finally {
      await host.close();
    }
  });

  it('configure({ counts }) sets an application count at run time', async () => {
    const host = await startLabKmsHost({ counts: { windows: 30 } });
    try {
      assert.equal(host.count('windows'), 30);
      await host.configure({ counts: { windows: 3, 'lab-office': 9 } });
      assert.equal(host.count('windows'), 3);
      assert.equal(host.count('office-2013+'), 9);
      assert.deepEqual(await counts(host, 'lab-windows', fresh(1)), [4]);
    } finally {
      await host.close();
    }
  });
});
