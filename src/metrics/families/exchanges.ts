/**
 * The full KMS exchange, per host and product: whether it worked and what the host said
 * (count, intervals, identity), and the N each product needs.
 */
import type { KmsProductResult } from '../../kms/client/index.js';
import { KMS_PROTOCOL_VERSIONS } from '../../kms/protocol-version.js';
import { LabelNames } from '../exposition.js';
import { labelledGauge } from '../family.js';
import {
  RESULT_LABELS,
  RESULTS,
  labelledCounterFamily,
  type ResultSeries,
  type StateFamily,
} from '../state-scrape.js';

/**
 * A gauge per host and product; a result for which `value` is null has no series.
 * `answeredOnly`: only results the host answered (a failed exchange says nothing of them).
 */
function resultGauge(
  name: string,
  help: string,
  answeredOnly: boolean,
  value: (r: KmsProductResult) => number | null,
): StateFamily {
  return RESULTS.gauge(name, help, ({ result }) =>
    answeredOnly && !result.success ? null : value(result),
  );
}

const minutesToSeconds = (minutes: number | null) => (minutes === null ? null : minutes * 60);

export const PROBE_SUCCESS = resultGauge(
  'kms_probe_success',
  'Whether the latest full KMS exchange for this product was answered and validated (1): the host can activate this product. 0 with kms_probe_failures_total says why.',
  false,
  (r) => (r.success ? 1 : 0),
);

export const PROBE_DURATION = resultGauge(
  'kms_probe_duration_seconds',
  'Seconds the latest KMS exchange for this product took, from connect to a verified answer.',
  false,
  (r) => r.durationSeconds,
);

export const HOST_ACTIVE_CLIENTS = resultGauge(
  'kms_host_active_clients',
  "The host's current count for this product's application (Microsoft: CurrentCount): unique client machines seen in the last 30 days. It includes this monitor, and it is capped at twice the largest N the host has seen for the application (50 for Windows once a client asked, 10 for Office): a value at the cap means at least that many.",
  true,
  (r) => r.activeClients,
);

export const HOST_ACTIVATION_INTERVAL = resultGauge(
  'kms_host_activation_interval_seconds',
  'VL activation interval the host hands out (Microsoft: VLActivationInterval, slmgr /sai): how often not-yet-activated clients retry. Default 2 hours.',
  true,
  (r) => minutesToSeconds(r.activationIntervalMinutes),
);

export const HOST_RENEWAL_INTERVAL = resultGauge(
  'kms_host_renewal_interval_seconds',
  'VL renewal interval the host hands out (Microsoft: VLRenewalInterval, slmgr /sri): how often activated clients renew. Default 7 days.',
  true,
  (r) => minutesToSeconds(r.renewalIntervalMinutes),
);

/** Unix time of an ePID's install date; the estate has few distinct dates, parsed once each. */
const installTimes = new Map<string, number>();
function installTimestamp(date: string): number {
  let seconds = installTimes.get(date);
  if (seconds === undefined) {
    // Bounded: a hostile host could send a new date each exchange.
    if (installTimes.size >= 4096) installTimes.clear();
    seconds = Date.parse(date) / 1000;
    installTimes.set(date, seconds);
  }
  return seconds;
}

export const HOST_KEY_INSTALL_TIMESTAMP = resultGauge(
  'kms_host_key_install_timestamp_seconds',
  'When the host key (CSVLK) was installed, as Unix time, from the date part of the ePID.',
  true,
  (r) => (r.keyInstallDate ? installTimestamp(r.keyInstallDate) : null),
);

const INFO_LABELS = new LabelNames(['epid', 'hwid', 'host_build', 'protocol']);

/** The protocol label of the versions a host answers with, one string each, not one per result. */
const PROTOCOL_TEXT = new Map<number, string>(KMS_PROTOCOL_VERSIONS.map((v) => [v, `${v}.0`]));
const protocolText = (version: number): string => PROTOCOL_TEXT.get(version) ?? `${version}.0`;

/** What kms_host_info's labels are made of: a result's identity as the host sent it. */
interface InfoLabels {
  epid: string;
  hwid: string;
  build: number | string;
  protocol: string;
  /** The series' labels then INFO_LABELS, as UTF-8. */
  bytes: Buffer;
}

/**
 * The whole label text of each result's kms_host_info sample, kept with its (kept) series
 * while the identity is the same: an ePID changes rarely, and escaping and encoding
 * 30,000 of them again was the largest part of this family's render after a round.
 */
const infoLabels = new WeakMap<ResultSeries, InfoLabels>();

function infoOf(series: ResultSeries): Buffer {
  const r = series.result;
  const epid = r.epid ?? '';
  const hwid = r.hwid ?? '';
  const build = r.hostBuild ?? '';
  const protocol = r.protocol === null ? '' : protocolText(r.protocol);
  const kept = infoLabels.get(series);
  if (
    kept !== undefined &&
    kept.epid === epid &&
    kept.hwid === hwid &&
    kept.build === build &&
    kept.protocol === protocol
  ) {
    // Equal text in new strings (each exchange decodes its own): keep the result's, so the
    // older copies can go (two of each per result at 3,000 domains: ~1.8 MiB).
    kept.epid = epid;
    kept.hwid = hwid;
    return kept.bytes;
  }
  const text = INFO_LABELS.text([epid, hwid, build, protocol], true);
  const bytes = Buffer.concat([series.labels, Buffer.from(text)]);
  infoLabels.set(series, { epid, hwid, build, protocol, bytes });
  return bytes;
}

export const HOST_INFO: StateFamily = RESULTS.family({
  name: 'kms_host_info',
  help: 'Always 1 for a host that answered: its ePID (the host key product ID), HWID (v6), host OS build from the ePID and the protocol version used. A change of ePID or HWID means a different machine or an emulator answers.',
  labels: [...RESULTS.labels, ...INFO_LABELS.names],
  write(series, out) {
    if (series.result.success) out.labelled('', 1, infoOf(series));
  },
});

export const ACTIVATION_THRESHOLD: StateFamily = labelledGauge({
  name: 'kms_activation_threshold',
  help: "N: how many clients a host must count before it activates this product's clients (25 Windows client, 5 Windows Server, 5 Office). Below it clients fail with 0xC004F038.",
  labels: ['product'],
  samples(scrape, emit) {
    for (const p of scrape.products) emit([p.slug], p.nPolicy);
  },
});

export const PROBE_FAILURES = labelledCounterFamily({
  name: 'kms_probe_failures_total',
  help: 'KMS exchanges that failed, by reason (connect_refused, timeout, kms_error with its HRESULT in the status API, verify_failed...). Series go when the host leaves DNS.',
  labels: [...RESULT_LABELS.names, 'reason'],
  counter: (state) => state.kmsFailures,
});
