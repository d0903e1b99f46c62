/**
 * Turns what a probe learned about one product into the KmsProductResult of the docs/design.md
 * contract: every field filled (null where the exchange did not get that far), the ePID
 * decoded into host build and key install date, durations in seconds.
 */
import { tryParseEpid } from '../epid.js';
import type { KmsResponse } from '../messages/index.js';
import { ProbeFailure } from './failure.js';
import { isoTimestamp } from './iso-time.js';
import type { ProbeTarget } from './options.js';
import type { KmsProductSpec } from './product-spec.js';
import type { KmsProtocolVersion } from '../protocol-version.js';
import type { AssociationInfo, KmsProductResult, PhaseDurations } from './result.js';
import { BoundedCache } from '../../util/bounded-cache.js';

export interface ProductResultInput {
  target: ProbeTarget;
  address: string | null;
  product: KmsProductSpec;
  protocol: KmsProtocolVersion | null;
  response: KmsResponse | null;
  failure: ProbeFailure | null;
  phases: PhaseDurations;
  timestamp: Date;
  association?: AssociationInfo | null;
}

/** Microsecond resolution is plenty and keeps the JSON readable. */
export function roundSeconds(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

function roundPhases(phases: PhaseDurations): PhaseDurations {
  const out: PhaseDurations = {};
  if (phases.connect !== undefined) out.connect = roundSeconds(phases.connect);
  if (phases.bind !== undefined) out.bind = roundSeconds(phases.bind);
  if (phases.request !== undefined) out.request = roundSeconds(phases.request);
  return out;
}

const NO_ANSWER = new ProbeFailure('malformed', 'the exchange ended without an answer');

type EpidFacts = Pick<KmsProductResult, 'hostBuild' | 'keyInstallDate'>;

/**
 * What the result shows of an ePID, by its text. A host sends the same ePID in every
 * answer, and parsing it (a regular expression, a Date, for a non-standard ePID a thrown
 * and caught error) once per distinct text instead of once per exchange saves the work of
 * every later probe (docs/performance.md, KMS client CPU). Bounded against hosts that vary it.
 */
const EPID_FACTS = new BoundedCache<string, EpidFacts>(1024);

function epidFacts(text: string): EpidFacts {
  const known = EPID_FACTS.get(text);
  if (known !== undefined) return known;
  const epid = tryParseEpid(text);
  const facts: EpidFacts = {
    hostBuild: epid?.hostBuild ?? null,
    keyInstallDate: epid?.keyInstallDate?.toISOString().slice(0, 10) ?? null,
  };
  return EPID_FACTS.add(text, facts);
}

export function buildProductResult(input: ProductResultInput): KmsProductResult {
  const { response, failure } = input;
  const success = response !== null && failure === null;
  const epid = response === null ? null : epidFacts(response.epid);
  const phases = roundPhases(input.phases);
  // This product's cost: the connection's connect and bind (shared when several products
  // use one connection) plus its own request(s), comparable to a one-product probe.
  const duration =
    (input.phases.connect ?? 0) + (input.phases.bind ?? 0) + (input.phases.request ?? 0);
  return {
    host: input.target.host,
    port: input.target.port,
    address: input.address,
    product: input.product.slug,
    success,
    protocol: input.protocol,
    epid: response?.epid ?? null,
    hwid: response?.hwid ?? null,
    hostBuild: epid?.hostBuild ?? null,
    keyInstallDate: epid?.keyInstallDate ?? null,
    activeClients: response?.activeClients ?? null,
    threshold: input.product.nPolicy,
    activationIntervalMinutes: response?.activationIntervalMinutes ?? null,
    renewalIntervalMinutes: response?.renewalIntervalMinutes ?? null,
    durationSeconds: roundSeconds(duration),
    phases,
    timestamp: isoTimestamp(input.timestamp),
    error: success ? null : (failure ?? NO_ANSWER).toKmsError(),
    association: input.association ?? null,
  };
}
