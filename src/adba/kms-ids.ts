/**
 * KMS counted IDs of an activation object mapped to the product table's groups
 * (docs/protocol.md §6): one truth for what an ID means, shared with the KMS probes.
 */
import { BUILT_IN_PRODUCTS, type Product } from '../kms/products/index.js';

export interface KmsIdMapping {
  /** The KMS counted ID, lowercase GUID text. */
  kmsCountedId: string;
  /** The product group's slug; null when the product table has no group for this ID. */
  product: string | null;
  productName: string | null;
  family: Product['family'] | null;
  /** The count (application) the group belongs to; null when unmapped. */
  counter: Product['counter'];
  /** False for groups a genuine CSVLK never enables (retail). */
  kmsActivatable: boolean | null;
}

const BY_KMS_ID: ReadonlyMap<string, Product> = new Map(
  BUILT_IN_PRODUCTS.map((p) => [p.kmsCountedId.toLowerCase(), p]),
);

export function mapKmsId(kmsCountedId: string): KmsIdMapping {
  const id = kmsCountedId.toLowerCase();
  const product = BY_KMS_ID.get(id);
  return {
    kmsCountedId: id,
    product: product?.slug ?? null,
    productName: product?.name ?? null,
    family: product?.family ?? null,
    counter: product?.counter ?? null,
    kmsActivatable: product?.kmsActivatable ?? null,
  };
}
