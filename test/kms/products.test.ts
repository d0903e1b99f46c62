// The product table of docs/protocol.md §6: valid GUIDs, unique slugs, the N policy and
// application of every product the captures request, the default set, and custom products.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isGuid } from '../../src/kms/guid.js';
import {
  APPLICATION_IDS,
  BUILT_IN_PRODUCTS,
  PRODUCT_SLUG,
  ProductConfigError,
  buildProductTable,
  counterForApplicationId,
  customProduct,
  defaultProductSlugs,
  findProduct,
  listProducts,
} from '../../src/kms/products/index.js';
import type { CustomProductFields, ProductTableIssue } from '../../src/kms/products/index.js';
import { loadCaptures } from './rpc/vectors.js';

// The refusal capture asks for a deliberately made-up KMS ID.
const MADE_UP_KMS_ID = '11111111-2222-4333-8444-555555555555';

interface CapturedRequest {
  kms_counted_id: string;
  app_id: string;
  sku_id: string;
  n_policy: number;
  version: string;
  file: string;
}

function capturedRequests(): CapturedRequest[] {
  const out: CapturedRequest[] = [];
  for (const c of loadCaptures()) {
    for (const run of c.runs) {
      for (const p of run.pdus) {
        const r = p.kms_request?.request as Omit<CapturedRequest, 'file'> | undefined;
        if (r) out.push({ ...r, file: c.file });
      }
    }
  }
  return out;
}

describe('built-in products', () => {
  const products = listProducts();

  it('lists every group of §6.2', () => {
    const expected = [
      'windows-vista',
      'windows-7',
      'windows-8',
      'windows-8.1',
      'windows-10-11',
      'windows-10-ltsb-2016',
      'windows-10-ltsc-2019',
      'windows-ltsc-2021',
      'windows-ltsc-2024',
      'windows-10-unknown',
      'windows-10-11-retail',
      'windows-server-2008-a',
      'windows-server-2008-b',
      'windows-server-2008-c',
      'windows-server-2008-r2-a',
      'windows-server-2008-r2-b',
      'windows-server-2008-r2-c',
      'windows-server-2012',
      'windows-server-2012-r2',
      'windows-server-2016',
      'windows-server-2019',
      'windows-server-2022',
      'windows-server-2025',
      'windows-multisession',
      'office-2010',
      'office-2013',
      'office-2016',
      'office-2019',
      'office-ltsc-2021',
      'office-ltsc-2024',
    ];
    assert.deepEqual(
      products.map((p) => p.slug),
      expected,
    );
    for (const slug of expected) assert.equal(findProduct(slug)?.slug, slug);
  });

  it('has valid lowercase GUIDs, unique slugs and unique KMS counted IDs', () => {
    const slugs = new Set<string>();
    const ids = new Set<string>();
    for (const p of products) {
      assert.match(p.slug, PRODUCT_SLUG);
      for (const g of [p.applicationId, p.kmsCountedId, p.skuId]) {
        assert.ok(isGuid(g), `${p.slug}: ${g}`);
        assert.equal(g, g.toLowerCase());
      }
      assert.ok(!slugs.has(p.slug), `duplicate slug ${p.slug}`);
      assert.ok(!ids.has(p.kmsCountedId), `duplicate KMS ID ${p.kmsCountedId}`);
      slugs.add(p.slug);
      ids.add(p.kmsCountedId);
      assert.ok(p.builtIn);
      assert.ok(Object.isFrozen(p));
    }
  });

  it('applies the thresholds by family', () => {
    for (const p of products) {
      const n = p.family === 'windows-client' ? 25 : 5;
      assert.equal(p.nPolicy, n, p.slug);
      assert.ok([4, 5, 6].includes(p.protocol));
      assert.notEqual(p.counter, null);
      if (p.family === 'office') assert.notEqual(p.applicationId, APPLICATION_IDS.windows);
      else assert.equal(p.applicationId, APPLICATION_IDS.windows);
    }
  });

  it('knows every KMS counted ID the captures request, with the right N, application and protocol', () => {
    const requests = capturedRequests();
    assert.ok(requests.length > 20);
    const seen = new Set<string>();
    for (const r of requests) {
      if (r.kms_counted_id === MADE_UP_KMS_ID) continue;
      const p = buildProductTable().findByKmsCountedId(r.kms_counted_id)[0];
      assert.ok(p, `${r.file}: ${r.kms_counted_id} missing from the table`);
      assert.equal(p.applicationId, r.app_id, r.file);
      // count-n-policy-zero-and-large deliberately sends 0, 5 and 30 for Windows 10.
      if (!r.file.startsWith('count-n-policy')) assert.equal(p.nPolicy, r.n_policy, r.file);
      if (!r.file.startsWith('refusal-0x8007000D'))
        assert.equal(`${p.protocol}.0`, r.version, r.file);
      assert.equal(p.confidence, 'captured', `${p.slug} is captured in ${r.file}`);
      seen.add(p.slug);
    }
    assert.ok(seen.has('windows-10-11-retail'));
    assert.equal(findProduct('windows-10-11-retail')?.kmsActivatable, false);
    assert.ok(seen.size >= 10);
  });

  it('marks what docs/protocol.md cannot confirm', () => {
    assert.equal(findProduct('windows-ltsc-2021')?.confidence, 'unconfirmed');
    assert.equal(findProduct('windows-ltsc-2024')?.confidence, 'unconfirmed');
    assert.equal(findProduct('windows-server-2025')?.confidence, 'secondary');
    assert.equal(findProduct('office-ltsc-2024')?.confidence, 'secondary');
    assert.equal(findProduct('windows-server-2022')?.confidence, 'confirmed');
    assert.equal(findProduct('windows-server-2008-r2-b')?.confidence, 'captured');
  });

  it('maps application IDs to counters', () => {
    assert.equal(counterForApplicationId(APPLICATION_IDS.windows), 'windows');
    assert.equal(counterForApplicationId('59A52881-A989-479D-AF46-F275C6370663'), 'office-2010');
    assert.equal(counterForApplicationId(APPLICATION_IDS.office2013Plus), 'office-2013+');
    assert.equal(counterForApplicationId('00000000-0000-0000-0000-000000000000'), null);
    assert.equal(findProduct('office-2019')?.counter, 'office-2013+');
    assert.equal(findProduct('windows-server-2019')?.counter, 'windows');
  });

  it('has a small default set of activatable, well-sourced products', () => {
    assert.ok(defaultProductSlugs.length <= 5);
    for (const slug of defaultProductSlugs) {
      const p = findProduct(slug);
      assert.ok(p, slug);
      assert.ok(p.kmsActivatable);
      assert.ok(p.confidence === 'captured' || p.confidence === 'confirmed', slug);
    }
    assert.deepEqual(BUILT_IN_PRODUCTS, listProducts());
  });
});

const lab: CustomProductFields = {
  slug: 'lab-widget',
  name: 'Lab Widget',
  applicationId: 'aaaaaaaa-1111-4222-8333-444444444444',
  kmsCountedId: 'bbbbbbbb-1111-4222-8333-444444444444',
  skuId: 'cccccccc-1111-4222-8333-444444444444',
  nPolicy: 5,
  protocol: 6,
};

function issuesOf(run: () => unknown): ProductTableIssue[] {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof ProductConfigError, String(e));
    return [...e.issues];
  }
  assert.fail('expected a ProductConfigError');
}

// The fields' own rules (slug, GUIDs, N, protocol) are the configuration schema's:
// test/config/products.test.ts.
describe('custom products', () => {
  it('merge after the built-in ones', () => {
    const table = buildProductTable([customProduct(lab)]);
    assert.equal(table.list().length, BUILT_IN_PRODUCTS.length + 1);
    const p = table.find('lab-widget');
    assert.ok(p);
    assert.equal(p.applicationId, 'aaaaaaaa-1111-4222-8333-444444444444');
    assert.equal(p.family, 'other');
    assert.equal(p.counter, null);
    assert.equal(p.confidence, 'custom');
    assert.equal(p.builtIn, false);
    assert.ok(p.kmsActivatable);
    assert.equal(table.list().at(-1), p);
    assert.deepEqual(table.findByKmsCountedId(lab.kmsCountedId.toUpperCase()), [p]);
    assert.equal(table.find('windows-7')?.builtIn, true);
    assert.equal(findProduct('lab-widget'), undefined, 'the built-in table is untouched');
  });

  it('infers the family from the application ID and N', () => {
    const t = buildProductTable(
      [
        { ...lab, slug: 'my-client', applicationId: APPLICATION_IDS.windows, nPolicy: 25 },
        { ...lab, slug: 'my-server', applicationId: APPLICATION_IDS.windows, nPolicy: 5 },
        { ...lab, slug: 'my-office', applicationId: APPLICATION_IDS.office2013Plus },
      ].map(customProduct),
    );
    assert.equal(t.find('my-client')?.family, 'windows-client');
    assert.equal(t.find('my-server')?.family, 'windows-server');
    assert.equal(t.find('my-office')?.family, 'office');
    assert.equal(t.find('my-office')?.counter, 'office-2013+');
  });

  it('rejects a collision with a built-in slug, naming it', () => {
    const issues = issuesOf(() =>
      buildProductTable([customProduct(lab), customProduct({ ...lab, slug: 'windows-10-11' })]),
    );
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.index, 1);
    assert.match(issues[0]?.message ?? '', /built-in product \(Windows 10\/11\); pick another/);
  });

  it('rejects a slug defined twice, naming every problem in the message', () => {
    const issues = issuesOf(() =>
      buildProductTable([
        customProduct(lab),
        customProduct(lab),
        customProduct({ ...lab, slug: 'office-2016' }),
      ]),
    );
    assert.deepEqual(
      issues.map((i) => [i.index, i.slug]),
      [
        [1, 'lab-widget'],
        [2, 'office-2016'],
      ],
    );
    assert.match(issues[0]?.message ?? '', /defined more than once/);
    assert.throws(
      () => buildProductTable([customProduct(lab), customProduct(lab)]),
      /^ProductConfigError: invalid products: products\[1\] \(lab-widget\): slug 'lab-widget' is defined more than once$/,
    );
  });
});
