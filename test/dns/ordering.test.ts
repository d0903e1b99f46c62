/** RFC 2782 ordering, duplicates, ".", the record limit; address order; the worker pool. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mapLimit } from '../../src/util/map-limit.js';
import { sortAddresses } from '../../src/dns/ip-order.js';
import { orderSrv, type SrvCandidate } from '../../src/dns/srv-order.js';

const c = (
  host: string,
  priority: number,
  weight: number,
  port = 1688,
  ttl = 300,
): SrvCandidate => ({
  host,
  port,
  priority,
  weight,
  ttl,
});

describe('orderSrv', () => {
  it('priority ascending, then weight descending, then host and port', () => {
    const ordered = orderSrv([
      c('d', 10, 0),
      c('b', 0, 10),
      c('a', 0, 10, 2000),
      c('a', 0, 10),
      c('c', 0, 90),
    ]);
    assert.deepEqual(
      ordered.records.map((r) => `${r.priority}/${r.weight} ${r.host}:${r.port}`),
      ['0/90 c:1688', '0/10 a:1688', '0/10 a:2000', '0/10 b:1688', '10/0 d:1688'],
    );
  });

  it('merges duplicates keeping the lowest TTL', () => {
    const ordered = orderSrv([c('a', 0, 0, 1688, 300), c('a', 0, 0, 1688, 60), c('a', 1, 0)]);
    assert.deepEqual(
      ordered.records.map((r) => [r.priority, r.ttl]),
      [
        [0, 60],
        [1, 300],
      ],
    );
  });

  it('"." alone means not available; next to real targets it is ignored', () => {
    assert.deepEqual(orderSrv([c('.', 0, 0)]), {
      records: [],
      serviceUnavailable: true,
      truncated: 0,
    });
    const mixed = orderSrv([c('.', 0, 0), c('a', 1, 0)]);
    assert.equal(mixed.serviceUnavailable, false);
    assert.equal(mixed.records.length, 1);
    assert.deepEqual(orderSrv([]), { records: [], serviceUnavailable: false, truncated: 0 });
  });

  it('keeps the most preferred records up to the limit and counts the rest', () => {
    const many = Array.from({ length: 30 }, (_, i) => c(`h${i}`, i % 3, i));
    const ordered = orderSrv(many, 10);
    assert.equal(ordered.records.length, 10);
    assert.equal(ordered.truncated, 20);
    assert.ok(ordered.records.every((r) => r.priority === 0));
  });

  it('is a deterministic function of the set, whatever order the server sent', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('a', 'b', 'c', 'd'),
            fc.nat(3),
            fc.nat(3),
            fc.constantFrom(1688, 2000),
          ),
        ),
        (tuples) => {
          const list = tuples.map(([h, p, w, port]) => c(h, p, w, port));
          const reversed = [...list].reverse();
          assert.deepEqual(orderSrv(list), orderSrv(reversed));
        },
      ),
    );
  });
});

describe('sortAddresses', () => {
  it('IPv4 before IPv6, numerically, without duplicates', () => {
    assert.deepEqual(
      sortAddresses(['fd00::10', '10.0.0.10', 'fd00::9', '10.0.0.9', '2001:db8::1', '10.0.0.9']),
      ['10.0.0.9', '10.0.0.10', '2001:db8::1', 'fd00::9', 'fd00::10'],
    );
  });
});

describe('mapLimit', () => {
  it('never runs more than the limit and keeps input order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    assert.deepEqual(out, [50, 10, 40, 20, 30, 0, 60]);
    assert.equal(peak, 3);
    assert.deepEqual(await mapLimit([], 4, async () => 1), []);
  });
});
