/**
 * The `products` key: the one home of the custom-product field rules (slug, name, GUIDs,
 * N policy, protocol), each refused at its key path and line; entries resolved to the
 * product objects once, with the table's own refusals (a built-in or repeated slug) at the
 * entry's line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { defaultProductSlugs, findProduct } from '../../src/kms/products/index.js';
import { configErrorOf } from './config-error.js';

const FIELDS = {
  slug: 'lab-widget',
  name: 'Lab Widget',
  application_id: 'AAAAAAAA-1111-4222-8333-444444444444',
  kms_counted_id: 'bbbbbbbb-1111-4222-8333-444444444444',
  sku_id: 'cccccccc-1111-4222-8333-444444444444',
  n_policy: 5,
  protocol: 6,
} as const;

/** `products:` with a custom entry (after `before` slugs) whose fields are `fields`. */
function productsYaml(fields: Record<string, unknown>, before: string[] = []): string {
  const lines = ['products:', ...before.map((slug) => `  - ${slug}`)];
  Object.entries(fields).forEach(([key, value], i) => {
    lines.push(`  ${i === 0 ? '- ' : '  '}${key}: ${JSON.stringify(value)}`);
  });
  return `${lines.join('\n')}\n`;
}

describe('custom product fields', () => {
  it('a valid entry becomes the product: GUIDs lower case, name trimmed, family derived', () => {
    const config = parseConfig(productsYaml({ ...FIELDS, name: '  Lab Widget ' }));
    assert.equal(config.products.length, 1);
    const p = config.products[0];
    assert.ok(p);
    assert.equal(p.applicationId, 'aaaaaaaa-1111-4222-8333-444444444444');
    assert.equal(p.name, 'Lab Widget');
    assert.equal(p.family, 'other');
    assert.equal(p.confidence, 'custom');
    assert.equal(p.builtIn, false);
    assert.equal(p.protocol, 6);
  });

  for (const [field, value, line, problem] of [
    [
      'slug',
      'Bad Slug',
      2,
      /^must be lowercase letters, digits, dots and dashes, starting with a letter or digit/,
    ],
    ['name', '   ', 3, /^must be 1 to 100 characters$/],
    ['name', 'x'.repeat(101), 3, /^must be 1 to 100 characters$/],
    ['application_id', 'nope', 4, /not a GUID \(8-4-4-4-12 hex digits\)/],
    ['kms_counted_id', '1234', 5, /not a GUID/],
    ['sku_id', '', 6, /not a GUID/],
    [
      'n_policy',
      0,
      7,
      /^must be an integer from 1 to 50 \(25 Windows client, 5 server or Office\)$/,
    ],
    ['n_policy', 51, 7, /^must be an integer from 1 to 50/],
    ['n_policy', 2.5, 7, /^must be an integer from 1 to 50/],
    ['protocol', 7, 8, /^must be 4, 5 or 6$/],
  ] as const) {
    it(`${field}: ${JSON.stringify(value)} is refused at its key and line`, () => {
      const err = configErrorOf(productsYaml({ ...FIELDS, [field]: value }));
      assert.equal(err.keyPath, `products[0].${field}`);
      assert.equal(err.line, line);
      const message = err.message.slice(`kms.yml:${line}:`.length).replace(/^\d+: [^:]+: /, '');
      assert.match(message, problem);
    });
  }
});

describe('product entries resolved once', () => {
  it('no entries: the default set, as product objects', () => {
    const config = parseConfig('');
    assert.deepEqual(
      config.products,
      defaultProductSlugs.map((slug) => findProduct(slug)),
    );
  });

  it('built-in slugs and custom entries in config order', () => {
    const config = parseConfig(productsYaml(FIELDS, ['office-2016']));
    assert.deepEqual(
      config.products.map((p) => p.slug),
      ['office-2016', 'lab-widget'],
    );
    assert.equal(config.products[0], findProduct('office-2016'));
  });

  it('a custom slug that is built in is refused at its entry', () => {
    const err = configErrorOf(productsYaml({ ...FIELDS, slug: 'office-2016' }, ['windows-7']));
    assert.equal(err.keyPath, 'products[1]');
    assert.equal(err.line, 3);
    assert.match(
      err.message,
      /: products\[1\]: slug 'office-2016' is a built-in product \(Office 2016\); pick another slug$/,
    );
  });

  it('a custom slug defined twice is refused at the second definition', () => {
    const entry = productsYaml(FIELDS).replace(/^products:\n/, '');
    const err = configErrorOf(`products:\n${entry}${entry}`);
    assert.equal(err.keyPath, 'products[1]');
    assert.equal(err.line, 9);
    assert.match(err.message, /slug 'lab-widget' is defined more than once$/);
  });

  it('a slug listed twice, or listed and defined, is refused at the repeat', () => {
    const twice = configErrorOf('products: [windows-7, office-2016, windows-7]\n');
    assert.equal(twice.keyPath, 'products[2]');
    assert.match(twice.message, /product windows-7 is listed twice$/);
    const defined = configErrorOf(productsYaml(FIELDS, ['lab-widget']));
    assert.equal(defined.keyPath, 'products[1]');
    assert.match(defined.message, /product lab-widget is listed twice$/);
  });

  it('an unknown slug is named with its line', () => {
    const err = configErrorOf('products:\n  - windows-10-11\n  - windows-12\n');
    assert.equal(err.keyPath, 'products[1]');
    assert.equal(err.line, 3);
    assert.match(err.message, /unknown product "windows-12"; see the README's product list/);
  });
});

describe('product groups and planned products (docs/coverage.md §7)', () => {
  const OFFICE_2013_PLUS = '0ff1ce15-a989-479d-af46-f275c6370663';
  const office = { ...FIELDS, application_id: OFFICE_2013_PLUS };

  it('a custom product names the built-in group it stands for', () => {
    const config = parseConfig(productsYaml({ ...office, group: 'office-ltsc-2024' }));
    assert.equal(config.products[0]?.group, 'office-ltsc-2024');
  });

  it('a group that is not built in is refused at the entry', () => {
    const err = configErrorOf(productsYaml({ ...office, group: 'office-2099' }));
    assert.match(err.message, /group 'office-2099' is not a built-in product group/);
  });

  it("a group of another application is refused: the host key and count are the group's", () => {
    const err = configErrorOf(productsYaml({ ...FIELDS, group: 'office-ltsc-2024' }));
    assert.match(err.message, /group 'office-ltsc-2024' \(Office LTSC 2024\) has application ID/);
  });

  it('built-in and custom entries can be planned; others are not', () => {
    const yaml = [
      'products:',
      '  - windows-10-11',
      '  - {slug: office-ltsc-2024, planned: true}',
      `  - ${JSON.stringify({ ...office, planned: true, group: 'office-ltsc-2024', slug: 'x-office' })}`,
      '',
    ].join('\n');
    const products = parseConfig(yaml).products;
    assert.deepEqual(
      products.map((p) => [p.slug, p.planned ?? false]),
      [
        ['windows-10-11', false],
        ['office-ltsc-2024', true],
        ['x-office', true],
      ],
    );
    assert.equal(products[1]?.name, findProduct('office-ltsc-2024')?.name);
  });

  it('a planned entry of an unknown slug is refused like any unknown slug', () => {
    const err = configErrorOf('products:\n  - {slug: office-2099, planned: true}\n');
    assert.match(err.message, /unknown product "office-2099"/);
  });
});
