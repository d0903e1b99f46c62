/**
 * The `products` key: built-in slugs and custom product definitions, checked and resolved
 * into the product objects once, here. Every rule for a custom product's fields lives in
 * this schema (its constants come from src/kms/); the product table adds the rules only it
 * knows (a slug that is built in or defined twice), and the problems of both are reported
 * at the entry's line like any other schema error.
 */
import { z } from 'zod';
import { isGuid } from '../kms/guid.js';
import {
  MAX_N_POLICY,
  PRODUCT_SLUG,
  ProductConfigError,
  buildProductTable,
  customProduct,
  defaultProductSlugs,
  type Product,
  type ProductTable,
} from '../kms/products/index.js';
import { KMS_PROTOCOL_VERSIONS } from '../kms/protocol-version.js';

/** A GUID as the wire and the product table hold it: lower case. */
export const guid = z
  .string()
  .refine(isGuid, 'not a GUID (8-4-4-4-12 hex digits)')
  .transform((text) => text.toLowerCase());

const nPolicyRule = `must be an integer from 1 to ${MAX_N_POLICY} (25 Windows client, 5 server or Office)`;

const SLUG_RULE =
  'must be lowercase letters, digits, dots and dashes, starting with a letter or digit (at most 63)';
const NAME_RULE = 'must be 1 to 100 characters';

/** A product the built-in table lacks: what to put in the KMS request for it. */
export const customProductSchema = z
  .strictObject({
    slug: z.string().regex(PRODUCT_SLUG, SLUG_RULE),
    name: z.string().trim().min(1, NAME_RULE).max(100, NAME_RULE),
    application_id: guid,
    kms_counted_id: guid,
    sku_id: guid,
    n_policy: z
      .number()
      .min(1, nPolicyRule)
      .max(MAX_N_POLICY, nPolicyRule)
      .refine(Number.isInteger, nPolicyRule),
    protocol: z.literal(
      KMS_PROTOCOL_VERSIONS,
      `must be ${KMS_PROTOCOL_VERSIONS.join(', ').replace(/, (\d+)$/, ' or $1')}`,
    ),
    /** The built-in group this product stands for (docs/coverage.md §7). */
    group: z.string().regex(PRODUCT_SLUG, SLUG_RULE).optional(),
    planned: z.boolean().optional(),
  })
  .transform((entry) =>
    plannedIf(
      entry.planned,
      customProduct({
        slug: entry.slug,
        name: entry.name,
        applicationId: entry.application_id,
        kmsCountedId: entry.kms_counted_id,
        skuId: entry.sku_id,
        nPolicy: entry.n_policy,
        protocol: entry.protocol,
        ...(entry.group === undefined ? {} : { group: entry.group }),
      }),
    ),
  );

/**
 * A product the configuration lists as planned (docs/coverage.md §7): probed every sweep,
 * but it only tells whether the domain is ready for it, never today's verdict.
 */
export type ConfiguredProduct = Product & { planned?: true };

function plannedIf(planned: boolean | undefined, product: Product): ConfiguredProduct {
  return planned === true ? { ...product, planned: true } : product;
}

const slugText = z
  .string()
  .regex(PRODUCT_SLUG, 'product slug: lowercase letters, digits, dots and dashes');

/** `{slug: office-ltsc-2024, planned: true}`: a built-in group with its settings. */
const builtInEntry = z.strictObject({ slug: slugText, planned: z.boolean().optional() });

/**
 * An object entry is a planned built-in group when it has no key but `slug` and `planned`,
 * else a custom product: routed first, so each gets its own schema's messages.
 */
type ObjectEntry = z.ZodType<
  ConfiguredProduct | z.output<typeof builtInEntry>,
  z.input<typeof builtInEntry> | z.input<typeof customProductSchema>
>;
// Typed as the two shapes it routes to, so ConfigInput still spells each entry's fields.
const objectEntry = z
  .record(z.string(), z.unknown())
  .transform((value, ctx): ConfiguredProduct | z.output<typeof builtInEntry> => {
    const builtIn = Object.keys(value).every((k) => k === 'slug' || k === 'planned');
    const result = (builtIn ? builtInEntry : customProductSchema).safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
    return z.NEVER;
  }) as unknown as ObjectEntry;

const productEntry = z.union([slugText, objectEntry]);

function isCustom(entry: z.output<typeof productEntry>): entry is ConfiguredProduct {
  return typeof entry === 'object' && 'kmsCountedId' in entry;
}

/** The table with this list's custom products; null when it breaks, with the issues added. */
function tableOf(
  entries: ReadonlyArray<z.output<typeof productEntry>>,
  ctx: z.RefinementCtx,
): ProductTable | null {
  const custom = entries.flatMap((e, i) => (isCustom(e) ? [{ product: e, at: i }] : []));
  try {
    return buildProductTable(custom.map((c) => c.product));
  } catch (err) {
    if (!(err instanceof ProductConfigError)) throw err;
    for (const issue of err.issues) {
      ctx.addIssue({
        code: 'custom',
        path: [custom[issue.index]?.at ?? 0],
        message: issue.message,
      });
    }
    return null;
  }
}

/**
 * The products probed on every host, in config order: built-in slugs and custom
 * definitions, resolved to the product objects; the default set when none are listed.
 */
export const productList = z
  .array(productEntry)
  .default([])
  .transform((entries, ctx): ConfiguredProduct[] => {
    const table = tableOf(entries, ctx);
    if (!table) return z.NEVER;
    const listed = entries.length > 0 ? entries : defaultProductSlugs;
    const products: ConfiguredProduct[] = [];
    const seen = new Set<string>();
    listed.forEach((entry, i) => {
      const slug = typeof entry === 'string' ? entry : entry.slug;
      const found = table.find(slug);
      const planned = typeof entry === 'object' && entry.planned === true;
      const product = found && plannedIf(planned, found);
      if (!product) {
        const message = `unknown product ${JSON.stringify(slug)}; see the README's product list or define a custom product`;
        ctx.addIssue({ code: 'custom', path: [i], message });
      } else if (seen.has(slug)) {
        ctx.addIssue({ code: 'custom', path: [i], message: `product ${slug} is listed twice` });
      } else {
        seen.add(slug);
        products.push(product);
      }
    });
    return products;
  });
