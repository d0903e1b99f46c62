/**
 * One sweep of the real KMS client (src/kms/client) against a lab host, with the requests
 * the trust checks need (docs/trust.md): the genuine lab products, the same Windows product
 * at a lower N (the echo request), a made-up KMS counted ID and a retail product (the
 * negative controls). Also the behaviours an emulator switch shows, read off the results.
 */
import { probeKms, resolveIdentity } from '../../src/kms/client/index.js';
import type { KmsProductResult, KmsProductSpec } from '../../src/kms/client/index.js';
import { APPLICATION_IDS, findProduct } from '../../src/kms/products/index.js';
import type { Product } from '../../src/kms/products/index.js';
import { echoPolicy } from '../../src/kms/trust/index.js';
import { labProduct } from '../../src/lab/index.js';
import { CLOCK_WINDOW_OFFSET_MS } from '../../src/monitor/kinds/trust.js';
import type { LabKmsHost } from '../../src/lab/index.js';

export const IDENTITY = resolveIdentity({ hostname: 'lab-emulate-test' });
export const TIMEOUTS = { connectMs: 2000, bindMs: 2000, requestMs: 2000, overallMs: 15_000 };

export const WINDOWS = labProduct('lab-windows');
export const SERVER = labProduct('lab-windows-server');
export const OFFICE = labProduct('lab-office');

function realProduct(slug: string): Product {
  const product = findProduct(slug);
  if (product === undefined) throw new Error(`no built-in product ${slug}`);
  return product;
}
/** A retail product: the lab refuses it, as every real product, whatever it plays. */
export const RETAIL = realProduct('windows-10-11-retail');

/** A KMS counted ID nobody issued: neither a lab product nor a real one. */
export function unknownId(applicationId: string, n = 1): KmsProductSpec {
  const suffix = n.toString(16).padStart(12, '0');
  return {
    slug: `control-unknown-${n}`,
    applicationId,
    kmsCountedId: `c0de0000-5eed-4000-8000-${suffix}`,
    skuId: `c0de5c00-5eed-4000-8000-${suffix}`,
    nPolicy: 25,
    protocol: 6,
  };
}
export const UNKNOWN = unknownId(APPLICATION_IDS.windows);

/** The Windows product again, at the lower N the count-echo check sends. */
export const ECHO: KmsProductSpec = {
  ...WINDOWS,
  slug: 'lab-windows-echo',
  nPolicy: echoPolicy(WINDOWS.nPolicy) ?? 0,
};

/** The Windows product at the lower N, dated as the monitor's clock-window request is. */
export const CLOCK: KmsProductSpec = {
  ...ECHO,
  slug: 'lab-windows-clock',
  clientTimeOffsetMs: CLOCK_WINDOW_OFFSET_MS,
};

/** Order matters only in that the genuine requests come before the controls. */
export const SWEEP: readonly KmsProductSpec[] = [
  WINDOWS,
  ECHO,
  SERVER,
  OFFICE,
  UNKNOWN,
  RETAIL,
  CLOCK,
];

export type Sweep = Record<string, KmsProductResult>;

export async function sweep(
  host: LabKmsHost,
  products: readonly KmsProductSpec[] = SWEEP,
): Promise<Sweep> {
  const results = await probeKms(
    { host: 'lab', port: host.port, address: host.address },
    products,
    { identity: IDENTITY, timeouts: TIMEOUTS },
  );
  return Object.fromEntries(results.map((r) => [r.product, r]));
}

export function result(s: Sweep, spec: { slug: string }): KmsProductResult {
  const r = s[spec.slug];
  if (r === undefined) throw new Error(`no result for ${spec.slug}`);
  return r;
}

/** py-kms's association group (docs/trust.md). */
export const PYKMS_GROUP = 0x1063bf3f;

/** What each emulator switch changes, as seen by the client in one sweep. */
export interface Behaviours {
  acceptUnknownIds: boolean;
  echoCount: boolean;
  epidPerRequest: boolean;
  associationGroup: boolean;
  closeAfterAnswer: boolean;
  /** Answers a request dated 5 hours off (a genuine host refuses it with 0xC004F06C). */
  acceptsAnyTime: boolean;
}

export function behaviours(s: Sweep): Behaviours {
  const windows = [WINDOWS, ECHO, SERVER].map((p) => result(s, p));
  const answered = Object.values(s).filter((r) => r.success);
  const lower = result(s, ECHO);
  return {
    acceptUnknownIds: result(s, UNKNOWN).success,
    echoCount:
      lower.activeClients === 2 * ECHO.nPolicy &&
      result(s, WINDOWS).activeClients === 2 * WINDOWS.nPolicy,
    epidPerRequest: new Set(windows.map((r) => r.epid)).size > 1,
    associationGroup:
      answered.length > 0 && answered.every((r) => r.association?.group === PYKMS_GROUP),
    closeAfterAnswer: answered.some((r) => r.association?.reopened === true),
    acceptsAnyTime: s[CLOCK.slug]?.success === true,
  };
}

export const NO_EMULATION: Behaviours = Object.freeze({
  acceptUnknownIds: false,
  echoCount: false,
  epidPerRequest: false,
  associationGroup: false,
  closeAfterAnswer: false,
  acceptsAnyTime: false,
});
