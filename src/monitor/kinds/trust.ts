/**
 * The trust kind (docs/trust.md): once per sweep, on one connection of its own, the
 * requests a genuine host must refuse or answer alike — a KMS counted ID nobody issued
 * (fixed per monitor: derived from its CMID), a retail product, and each application's
 * first product again with a lower N policy — then the authenticity checks over those and
 * the sweep's product exchanges. A refused request adds nobody to a host's count, and the
 * echo request uses the monitor's one CMID, so the host still counts the monitor once.
 */
import { createHash } from 'node:crypto';
import { probeKms, type KmsProductResult, type KmsProductSpec } from '../../kms/client/index.js';
import { APPLICATION_IDS, counterForApplicationId, findProduct } from '../../kms/products/index.js';
import { echoPolicy } from '../../kms/trust/index.js';
import {
  assessTrust,
  DEFAULT_TRUST_SETTINGS,
  type TrustControls,
  type TrustProduct,
  type TrustSettings,
} from '../trust.js';
import { exchangeTimeouts } from './exchange-timeouts.js';
import { hostHistoryEntry, KMS_EXCHANGE_PLACEMENT, type HostProbeKind } from './kind.js';
import { addressOf } from './no-address.js';

const UNKNOWN_ID = 'trust:unknown-id';
const RETAIL = 'trust:retail';
const ECHO = 'trust:echo:';
const CLOCK = 'trust:clock:';

/**
 * How far the clock-window request is dated from now: 5 hours back, past the 4 hours a
 * genuine host accepts (docs/trust.md) by an hour, so a host clock a little off still refuses it.
 */
export const CLOCK_WINDOW_OFFSET_MS = -5 * 3600_000;

/** A GUID from a hash: the same for one monitor (its CMID) and never a Microsoft ID. */
function derivedGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  // Version 4 and the RFC 4122 variant, so it reads as an ordinary random GUID.
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The control requests and the echo requests for the planned products. */
export function trustSpecs(
  cmid: string,
  products: readonly (KmsProductSpec & Partial<TrustProduct>)[],
  settings: TrustSettings = DEFAULT_TRUST_SETTINGS,
): {
  specs: KmsProductSpec[];
  echo: Map<string, { product: string; nPolicy: number }>;
  clock: string | null;
} {
  const specs: KmsProductSpec[] = [
    {
      slug: UNKNOWN_ID,
      applicationId: APPLICATION_IDS.windows,
      kmsCountedId: derivedGuid(`kms-monitor control id ${cmid}`),
      skuId: derivedGuid(`kms-monitor control sku ${cmid}`),
      nPolicy: 1,
      protocol: 6,
    },
  ];
  const retail = findProduct('windows-10-11-retail');
  if (retail) specs.push({ ...retail, slug: RETAIL });
  const echo = new Map<string, { product: string; nPolicy: number }>();
  const seen = new Set<string>();
  let clock: string | null = null;
  for (const p of products) {
    const key = p.counter ?? counterForApplicationId(p.applicationId) ?? p.applicationId;
    const lower = echoPolicy(p.nPolicy);
    if (seen.has(key) || lower === null || p.kmsActivatable === false) continue;
    seen.add(key);
    if (settings.countEcho) {
      const slug = `${ECHO}${p.slug}`;
      specs.push({ ...p, slug, nPolicy: lower });
      echo.set(slug, { product: p.slug, nPolicy: lower });
    }
    // A product the host answers, so only its clock can make it refuse; the lower N too,
    // so an emulator answering it never enlarges anything.
    if (settings.clockWindow && clock === null) {
      clock = `${CLOCK}${p.slug}`;
      specs.push({ ...p, slug: clock, nPolicy: lower, clientTimeOffsetMs: CLOCK_WINDOW_OFFSET_MS });
    }
  }
  return { specs, echo, clock };
}

/**
 * The fields the checks read, from a planned product: the monitor plans full products;
 * anything else (a test double's) is read as a custom product of its application.
 */
function trustProduct(p: KmsProductSpec & Partial<TrustProduct>): TrustProduct {
  return {
    slug: p.slug,
    name: p.name ?? p.slug,
    counter: p.counter ?? counterForApplicationId(p.applicationId) ?? null,
    builtIn: p.builtIn ?? findProduct(p.slug)?.builtIn ?? false,
    nPolicy: p.nPolicy,
    kmsActivatable: p.kmsActivatable ?? true,
  };
}

type TrustRequests = ReturnType<typeof trustSpecs> & { products: readonly TrustProduct[] };

/**
 * The requests of a sweep, made once per plan rather than per host: they depend only on
 * the CMID, the planned products and the settings, and each costs two SHA-256 digests and
 * the products' lookups (2,000 hosts a sweep at estate scale). Keyed by the plan's product
 * list, which a reload replaces rather than changes.
 */
const requestsByProducts = new WeakMap<
  readonly KmsProductSpec[],
  { cmid: string; countEcho: boolean; clockWindow: boolean; requests: TrustRequests }
>();

function trustRequests(
  cmid: string,
  products: readonly (KmsProductSpec & Partial<TrustProduct>)[],
  settings: TrustSettings,
): TrustRequests {
  const known = requestsByProducts.get(products);
  if (
    known !== undefined &&
    known.cmid === cmid &&
    known.countEcho === settings.countEcho &&
    known.clockWindow === settings.clockWindow
  ) {
    return known.requests;
  }
  const requests = {
    ...trustSpecs(cmid, products, settings),
    products: products.map((p) => trustProduct(p)),
  };
  requestsByProducts.set(products, {
    cmid,
    countEcho: settings.countEcho,
    clockWindow: settings.clockWindow,
    requests,
  });
  return requests;
}

export interface TrustProbeResult extends TrustControls {
  timestamp: string;
  durationSeconds: number;
  /** The connection's failure when no control got an answer (host down, not KMS). */
  error: KmsProductResult['error'];
}

export const trustKind: HostProbeKind<TrustProbeResult> = {
  name: 'trust',
  ...KMS_EXCHANGE_PLACEMENT,
  realProbe:
    (deps) =>
    async (target, { products, timeoutMs, signal, trust = DEFAULT_TRUST_SETTINGS }) => {
      const started = performance.now();
      const requests = trustRequests(deps.identity().cmid, products, trust);
      const { specs, echo, clock } = requests;
      const address = addressOf(target);
      const results =
        address === null
          ? []
          : await probeKms({ host: target.host, port: target.port, address }, specs, {
              identity: deps.identity(),
              timeouts: exchangeTimeouts(timeoutMs, specs.length),
              signal,
            });
      const bySlug = new Map(results.map((r) => [r.product, r]));
      const kmsAnswer = results.find((r) => r.error === null || r.error.reason === 'kms_error');
      return {
        unknownId: bySlug.get(UNKNOWN_ID) ?? null,
        retail: bySlug.get(RETAIL) ?? null,
        ...(clock === null ? {} : { clock: bySlug.get(clock) ?? null }),
        settings: trust,
        echo: [...echo].flatMap(([slug, e]) => {
          const result = bySlug.get(slug);
          return result ? [{ ...e, result: { ...result, product: e.product } }] : [];
        }),
        products: requests.products,
        timestamp: new Date().toISOString(),
        durationSeconds: (performance.now() - started) / 1000,
        error:
          kmsAnswer !== undefined
            ? null
            : (results[0]?.error ?? {
                reason: 'no_address',
                code: null,
                message: 'no address to connect to',
              }),
      };
    },
  // A host judged never, once it answered its exchanges and is reachable now.
  pending: (host) => host.trust === null && host.products.size > 0 && host.tcp?.up === true,
  record(host, probed) {
    const result = probed[0]?.result;
    if (result === undefined) return { probes: [], history: [] };
    // Without an answer to any control there is nothing to judge: keep the last verdict.
    if (result.error === null) {
      host.trust = assessTrust(
        [...host.products.values()],
        result,
        host.trust,
        new Date(result.timestamp),
      );
    }
    return {
      probes: [
        result.error
          ? { host: host.target.host, port: String(host.target.port), reason: result.error.reason }
          : null,
      ],
      history: [
        hostHistoryEntry('trust', host, host.trust?.verdict ?? null, result, result.error === null),
      ],
    };
  },
};
