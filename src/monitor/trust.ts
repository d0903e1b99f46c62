/**
 * What the authenticity checks (src/kms/trust/, docs/trust.md) say about one KMS host in one
 * sweep: its product exchanges and the trust kind's controls, judged together, with the
 * ePIDs kept for the next sweep's stability check.
 */
import type { KmsProductResult } from '../kms/client/index.js';
import type { Product } from '../kms/products/index.js';
import {
  associationGroup,
  countEcho,
  epidConsistency,
  epidKeySlot,
  epidStable,
  impossibleCount,
  keepsAssociation,
  knownEmulatorIdentity,
  refusalCheck,
  trustResult,
  worstVerdict,
  type CountSample,
  type TrustCheckResult,
  type TrustVerdict,
} from '../kms/trust/index.js';

/** The product fields the checks read. */
export type TrustProduct = Pick<
  Product,
  'slug' | 'name' | 'counter' | 'builtIn' | 'nPolicy' | 'kmsActivatable'
>;

/** The optional requests of the trust kind (config `trust`, docs/trust.md). */
export interface TrustSettings {
  /** Ask each application's first product again with a lower N (count_echo). */
  countEcho: boolean;
  /** Ask one product dated 5 hours off, which a genuine host refuses (clock_window). */
  clockWindow: boolean;
}

export const DEFAULT_TRUST_SETTINGS: Readonly<TrustSettings> = Object.freeze({
  countEcho: true,
  clockWindow: false,
});

/** What the trust kind's own requests got, on one connection. */
export interface TrustControls {
  unknownId: KmsProductResult | null;
  retail: KmsProductResult | null;
  /** The request dated 5 hours off; null when not answered, absent when not configured. */
  clock?: KmsProductResult | null;
  /** The settings the requests were sent with; absent: the defaults. */
  settings?: TrustSettings;
  /** A product asked again with a lower N policy (`nPolicy`). */
  echo: Array<{ product: string; nPolicy: number; result: KmsProductResult }>;
  /** The planned products when the probe ran. */
  products: readonly TrustProduct[];
}

export interface HostTrust {
  timestamp: string;
  /** The worst verdict of the checks that ran. */
  verdict: TrustVerdict;
  checks: TrustCheckResult[];
  /**
   * The first ePID per host key slot this sweep (epidKeySlot: an application, or one Office
   * 2013+ key), for the next sweep's stability check.
   */
  epids: Readonly<Record<string, string>>;
}

const answered = (r: KmsProductResult) => r.success && r.activeClients !== null;

/** The worse of two results of one check. */
function worse(a: TrustCheckResult, b: TrustCheckResult): TrustCheckResult {
  return worstVerdict([a, b]) === b.verdict && b.verdict !== a.verdict ? b : a;
}

function association(results: readonly KmsProductResult[]): TrustCheckResult {
  const seen = results.flatMap((r) => (r.association ? [r.association] : []));
  const first = seen.filter((a) => a.connection === 1);
  return keepsAssociation({
    answeredOnFirst: Math.max(0, ...first.map((a) => a.answered)),
    closedAfterAnswer: seen.some((a) => a.reopened),
  });
}

export function assessTrust(
  exchanges: readonly KmsProductResult[],
  controls: TrustControls,
  previous: HostTrust | null,
  now: Date,
): HostTrust {
  const bySlug = new Map(controls.products.map((p) => [p.slug, p]));
  const echoResults = controls.echo.map((e) => e.result);
  const allAnswers = [...exchanges, ...echoResults].filter(answered);

  const samples: CountSample[] = allAnswers.map((r) => ({
    product: r.product,
    count: r.activeClients as number,
    nPolicy: r.threshold,
  }));
  const largestN = Math.max(0, ...controls.products.map((p) => p.nPolicy));

  const settings = controls.settings ?? DEFAULT_TRUST_SETTINGS;
  let echo = settings.countEcho
    ? countEcho(undefined, undefined)
    : trustResult('count_echo', 'not_run', 'off in the configuration (trust.count_echo)');
  for (const e of controls.echo) {
    const genuine = exchanges.find((r) => r.product === e.product && answered(r));
    const check = countEcho(
      genuine && {
        product: e.product,
        count: genuine.activeClients as number,
        nPolicy: genuine.threshold,
      },
      answered(e.result)
        ? { product: e.product, count: e.result.activeClients as number, nPolicy: e.nPolicy }
        : undefined,
    );
    echo = echo.verdict === 'not_run' ? check : worse(echo, check);
  }

  // ePIDs per host key slot: this sweep's answers (exchanges, then the echo requests).
  const slots = new Map<string, { label: string; thisSweep: string[] }>();
  for (const r of allAnswers) {
    const counter = bySlug.get(r.product)?.counter;
    if (!counter || r.epid === null) continue;
    const { slot, label } = epidKeySlot(counter, r.epid);
    const seen = slots.get(slot);
    if (seen) seen.thisSweep.push(r.epid);
    else slots.set(slot, { label, thisSweep: [r.epid] });
  }
  const sightings = [...slots].map(([slot, { label, thisSweep }]) => ({
    slot,
    label,
    thisSweep,
    previous: previous?.epids[slot] ?? null,
  }));

  const consistency = epidConsistency(
    exchanges
      .filter((r) => answered(r) && r.epid !== null)
      .flatMap((r) => {
        const product = bySlug.get(r.product);
        return product ? [{ product, epid: r.epid as string }] : [];
      }),
    now,
  );
  const group =
    [...exchanges, ...echoResults].find((r) => r.association)?.association?.group ?? null;
  const trustResults = [
    controls.unknownId,
    controls.retail,
    ...echoResults,
    controls.clock ?? null,
  ].filter((r): r is KmsProductResult => r !== null);

  const checks: TrustCheckResult[] = [
    refusalCheck('control_unknown_id', controls.unknownId ?? undefined),
    refusalCheck('control_retail', controls.retail ?? undefined),
    settings.clockWindow
      ? refusalCheck('clock_window', controls.clock ?? undefined)
      : trustResult(
          'clock_window',
          'not_run',
          'off in the configuration (trust.clock_window_check)',
        ),
    impossibleCount(samples, largestN),
    echo,
    epidStable(sightings),
    consistency,
    knownEmulatorIdentity(
      allAnswers.find((r) => r.hwid !== null)?.hwid ?? null,
      allAnswers.flatMap((r) => (r.epid === null ? [] : [r.epid])),
    ),
    associationGroup(group),
    worse(association(exchanges), association(trustResults)),
  ];
  return {
    timestamp: now.toISOString(),
    verdict: worstVerdict(checks),
    checks,
    epids: Object.fromEntries([...slots].map(([slot, { thisSweep }]) => [slot, thisSweep[0]!])),
  };
}
