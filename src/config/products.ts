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
  })
  .transform((entry) =>
    customProduct({
      slug: entry.slug,
      name: entry.name,
      applicationId: entry.application_id,
      kmsCountedId: entry.kms_counted_id,
      skuId: entry.sku_id,
      nPolicy: entry.n_policy,
      protocol: entry.protocol,
    }),
  );

const productEntry = z.union([
  z.string().regex(PRODUCT_SLUG, 'product slug: lowercase letters, digits, dots and dashes'),
  customProductSchema,
]);

/** The table with this list's custom products; null when it breaks, with the issues added. */
function tableOf(
  entries: ReadonlyArray<string | Product>,
  ctx: z.RefinementCtx,
): ProductTable | null {
  const custom = entries.flatMap((e, i) => (typeof e === 'object' ? [{ product: e, at: i }] : []));
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
  .transform((entries, ctx): Product[] => {
    const table = tableOf(entries, ctx);
    if (!table) return z.NEVER;
    const listed = entries.length > 0 ? entries : defaultProductSlugs;
    const products: Product[] = [];
    const seen = new Set<string>();
    listed.forEach((entry, i) => {
      const slug = typeof entry === 'string' ? entry : entry.slug;
      const product = table.find(slug);
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
