// The tables hold together: no two keys share a key ID, every slug they name is a product
// group, every source id is listed in docs/coverage.md.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { COVERAGE_SOURCES, CSVLKS, HOST_UPDATES } from '../../../src/kms/coverage/index.js';
import { BUILT_IN_PRODUCTS, findProduct } from '../../../src/kms/products/index.js';

describe('coverage tables', () => {
  it('no two keys of one group overlap, and ids are unique', () => {
    const ids = new Set<string>();
    for (const a of CSVLKS) {
      assert.ok(!ids.has(a.id), a.id);
      ids.add(a.id);
      for (const b of CSVLKS) {
        if (a === b || a.groupId !== b.groupId) continue;
        if (a.keyBlocks === 'whole-group' || b.keyBlocks === 'whole-group') {
          assert.fail(`${a.id} and ${b.id} share group ${a.groupId} and one claims all of it`);
        }
        for (const [al, ah] of a.keyBlocks) {
          for (const [bl, bh] of b.keyBlocks) assert.ok(ah < bl || bh < al, `${a.id} ~ ${b.id}`);
        }
      }
    }
  });

  it('every slug the tables name is a built-in product group of the right application', () => {
    for (const c of CSVLKS) {
      const { covers, notCovered = [], unknown = [] } = c.coverage;
      for (const slug of [...covers, ...notCovered, ...unknown]) {
        const p = findProduct(slug);
        assert.ok(p, `${c.id}: ${slug}`);
        assert.equal(p.counter, c.application, `${c.id}: ${slug}`);
      }
    }
    for (const u of HOST_UPDATES) for (const slug of u.products) assert.ok(findProduct(slug), slug);
  });

  it('every built-in product is covered by some host key: a new product needs its key rows', () => {
    // Without a row that covers it, a product gets no coverage or readiness verdict
    // (docs/design.md, "Adding things": a product).
    const covered = new Set(CSVLKS.flatMap((c) => c.coverage.covers));
    const missing = BUILT_IN_PRODUCTS.filter((p) => !covered.has(p.slug)).map((p) => p.slug);
    assert.deepEqual(missing, []);
  });

  it('every source a row names is defined and listed in docs/coverage.md', () => {
    const doc = readFileSync('docs/coverage.md', 'utf8');
    for (const id of Object.keys(COVERAGE_SOURCES)) assert.ok(doc.includes(`\`${id}\``), id);
    for (const c of CSVLKS) {
      for (const id of [...c.sources, ...c.hosting.sources, ...c.coverage.sources]) {
        assert.ok(id in COVERAGE_SOURCES, `${c.id}: ${id}`);
      }
    }
  });
});
