/**
 * The monitor's metrics, rendered from the state at scrape time (prom-client collectors
 * with `collect()`): a scrape never probes, and series of hosts and records that left DNS
 * disappear because every gauge is reset before it is filled. Names, labels and units are
 * the contract of docs/design.md; HELP texts say what a value means to a KMS admin.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { LabelledCounter, MonitorState } from '../monitor/state.js';
import type { PlannedProduct } from '../monitor/plan.js';
import type { KmsProductResult } from '../kms/client/result.js';
import { EXIT_CODES } from '../monitor/evaluate.js';
import { evaluationOf } from '../monitor/evaluation-of.js';

type Labels = Record<string, string | number>;

/** A gauge whose values all come from `fill` at scrape time. */
function stateGauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  fill: (set: (labels: Labels, value: number) => void) => void,
): void {
  new Gauge({
    name,
    help,
    labelNames: [...labelNames],
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, value) => this.set(labels, value));
    },
  });
}

/** A counter mirrored from the state's own counters (which forget departed targets). */
function stateCounter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  fill: (inc: (labels: Labels, value: number) => void) => void,
): void {
  new Counter({
    name,
    help,
    labelNames: [...labelNames],
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, value) => this.inc(labels, value));
    },
  });
}

/** A counter that shows one of the state's LabelledCounters under the given label names. */
function mirroredCounter(
  registry: Registry,
  name: string,
  help: string,
  source: LabelledCounter,
  labelNames: readonly string[],
): void {
  stateCounter(registry, name, help, labelNames, (inc) => {
    for (const { labels, value } of source.entries()) {
      inc(Object.fromEntries(labelNames.map((l) => [l, labels[l] ?? ''])), value);
    }
  });
}

export function registerMonitorMetrics(
  registry: Registry,
  state: MonitorState,
  products: () => readonly PlannedProduct[],
): void {
  const hosts = () => state.hosts.values();
  const hp = (host: { host: string; port: number }) => ({
    host: host.host,
    port: String(host.port),
  });

  stateGauge(
    registry,
    'kms_host_up',
    'Whether a TCP connection to the KMS host succeeded in the latest round (1) or not (0). A published host that is down is a stale SRV record: clients trying it lose time or fail with 0x800706BA.',
    ['host', 'port'],
    (set) => {
      for (const h of hosts()) if (h.tcp) set(hp(h.target), h.tcp.up ? 1 : 0);
    },
  );
  stateGauge(
    registry,
    'kms_host_connect_duration_seconds',
    'Seconds the latest TCP connect to the KMS host took (also set when it failed).',
    ['host', 'port'],
    (set) => {
      for (const h of hosts()) if (h.tcp) set(hp(h.target), h.tcp.durationSeconds);
    },
  );

  stateGauge(
    registry,
    'kms_host_address_up',
    'Whether a TCP connection to this address of the KMS host succeeded in the latest round (1) or not (0). Every A and AAAA address is probed; the host is up if any is, as clients fall back from one to the next.',
    ['host', 'port', 'address'],
    (set) => {
      for (const h of hosts())
        for (const a of h.addresses)
          if (a.address !== null) set({ ...hp(h.target), address: a.address }, a.up ? 1 : 0);
    },
  );

  const eachResult = (
    visit: (labels: { host: string; port: string; product: string }, r: KmsProductResult) => void,
  ) => {
    for (const h of hosts()) {
      for (const r of h.products.values()) visit({ ...hp(h.target), product: r.product }, r);
    }
  };
  /** A gauge per host and product; results for which `value` is null are left out. */
  const productGauge = (
    name: string,
    help: string,
    value: (r: KmsProductResult) => number | null,
  ) =>
    stateGauge(registry, name, help, ['host', 'port', 'product'], (set) =>
      eachResult((labels, r) => {
        const v = value(r);
        if (v !== null) set(labels, v);
      }),
    );
  const answered = (pick: (r: KmsProductResult) => number | null) => (r: KmsProductResult) =>
    r.success ? pick(r) : null;
  productGauge(
    'kms_probe_success',
    'Whether the latest full KMS exchange for this product was answered and validated (1): the host can activate this product. 0 with kms_probe_failures_total says why.',
    (r) => (r.success ? 1 : 0),
  );
  productGauge(
    'kms_probe_duration_seconds',
    'Seconds the latest KMS exchange for this product took, from connect to a verified answer.',
    (r) => r.durationSeconds,
  );
  productGauge(
    'kms_host_active_clients',
    "The host's current count for this product's application (Microsoft: CurrentCount): unique client machines seen in the last 30 days. It includes this monitor, and it is capped at twice the largest N the host has seen for the application (50 for Windows once a client asked, 10 for Office): a value at the cap means at least that many.",
    answered((r) => r.activeClients),
  );
  productGauge(
    'kms_host_activation_interval_seconds',
    'VL activation interval the host hands out (Microsoft: VLActivationInterval, slmgr /sai): how often not-yet-activated clients retry. Default 2 hours.',
    answered((r) =>
      r.activationIntervalMinutes === null ? null : r.activationIntervalMinutes * 60,
    ),
  );
  productGauge(
    'kms_host_renewal_interval_seconds',
    'VL renewal interval the host hands out (Microsoft: VLRenewalInterval, slmgr /sri): how often activated clients renew. Default 7 days.',
    answered((r) => (r.renewalIntervalMinutes === null ? null : r.renewalIntervalMinutes * 60)),
  );
  productGauge(
    'kms_host_key_install_timestamp_seconds',
    'When the host key (CSVLK) was installed, as Unix time, from the date part of the ePID.',
    answered((r) => (r.keyInstallDate ? Date.parse(r.keyInstallDate) / 1000 : null)),
  );
  stateGauge(
    registry,
    'kms_host_info',
    'Always 1 for a host that answered: its ePID (the host key product ID), HWID (v6), host OS build from the ePID and the protocol version used. A change of ePID or HWID means a different machine or an emulator answers.',
    ['host', 'port', 'product', 'epid', 'hwid', 'host_build', 'protocol'],
    (set) =>
      eachResult((labels, r) => {
        if (!r.success) return;
        set(
          {
            ...labels,
            epid: r.epid ?? '',
            hwid: r.hwid ?? '',
            host_build: r.hostBuild === null ? '' : String(r.hostBuild),
            protocol: r.protocol === null ? '' : `${r.protocol}.0`,
          },
          1,
        );
      }),
  );
  stateGauge(
    registry,
    'kms_activation_threshold',
    "N: how many clients a host must count before it activates this product's clients (25 Windows client, 5 Windows Server, 5 Office). Below it clients fail with 0xC004F038.",
    ['product'],
    (set) => {
      for (const p of products()) set({ product: p.slug }, p.nPolicy);
    },
  );
  mirroredCounter(
    registry,
    'kms_probe_failures_total',
    'KMS exchanges that failed, by reason (connect_refused, timeout, kms_error with its HRESULT in the status API, verify_failed...). Series go when the host leaves DNS.',
    state.kmsFailures,
    ['host', 'port', 'product', 'reason'],
  );
  mirroredCounter(
    registry,
    'kms_host_connect_failures_total',
    'TCP reachability probes that failed, by reason (connect_refused, connect_timeout, network).',
    state.tcpFailures,
    ['host', 'port', 'reason'],
  );
  mirroredCounter(
    registry,
    'kms_srv_lookup_failures_total',
    'SRV lookups that failed, by reason (timeout, servfail, refused, malformed...). NXDOMAIN is not a failure of the resolver and is not counted here.',
    state.dnsFailures,
    ['domain', 'resolver', 'reason'],
  );
  mirroredCounter(
    registry,
    'kms_probes_total',
    'Probes run since start, by kind: dns (SRV lookups), tcp (reachability), kms (full exchanges, each one a real activation request counted by the host).',
    state.probes,
    ['kind'],
  );
  stateGauge(
    registry,
    'kms_srv_resolvers_disagree',
    '1 when the resolvers of a domain returned different _vlmcs._tcp record sets (split-horizon or replication trouble): clients see different KMS hosts depending on their DNS server.',
    ['domain'],
    (set) => {
      for (const d of state.domains.values())
        set({ domain: d.domain }, d.resolversDisagree ? 1 : 0);
    },
  );
  stateGauge(
    registry,
    'kms_srv_expected_host_missing',
    'An expected_hosts entry of the configuration that no resolver of the domain publishes (1).',
    ['domain', 'host'],
    (set) => {
      for (const d of state.domains.values())
        for (const host of d.missingExpectedHosts) set({ domain: d.domain, host }, 1);
    },
  );
  stateGauge(
    registry,
    'kms_domain_product_working_hosts',
    "KMS machines published in the domain that can activate the product now: reachable, answered the product in their latest exchange, and counting at least N. 0 (also for a domain with no record or failing lookups) means the domain's clients fail activation (0xC004F074 or 0xC004F038). Names of one machine count once.",
    ['domain', 'product'],
    (set) => {
      for (const v of evaluationOf(state, products()).verdicts)
        set({ domain: v.domain, product: v.product }, v.workingHosts);
    },
  );
  stateGauge(
    registry,
    'kms_domain_status',
    'The verdict for the domain, as check gives it: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (its own findings and those of the hosts it publishes).',
    ['domain'],
    (set) => {
      for (const [domain, status] of evaluationOf(state, products()).domainStatus)
        set({ domain }, EXIT_CODES[status]);
    },
  );
  stateGauge(
    registry,
    'kms_findings',
    'Findings in the current state, by code and severity (the codes of check --json and /api/v1/status; docs/alerts.md explains each). Absent codes have none.',
    ['code', 'severity'],
    (set) => {
      const counts = new Map<string, { code: string; severity: string; n: number }>();
      for (const f of evaluationOf(state, products()).problems) {
        const key = `${f.code}/${f.severity}`;
        const entry = counts.get(key) ?? { code: f.code, severity: f.severity, n: 0 };
        entry.n += 1;
        counts.set(key, entry);
      }
      for (const { code, severity, n } of counts.values()) set({ code, severity }, n);
    },
  );
  stateGauge(
    registry,
    'kms_targets_truncated',
    'KMS hosts left unprobed in the latest round because of limits.hosts_total.',
    [],
    (set) => set({}, state.hostsCut),
  );
  stateGauge(
    registry,
    'kms_last_poll_timestamp_seconds',
    'Unix time when the latest round (DNS discovery and TCP reachability) finished. If it stops moving, the monitor is not polling.',
    [],
    (set) => {
      if (state.poll.lastPollTimestamp !== null) set({}, state.poll.lastPollTimestamp);
    },
  );
  stateGauge(
    registry,
    'kms_poll_duration_seconds',
    'Seconds the latest round took. Near or above the interval, rounds start late (see kms_poll_overruns_total).',
    [],
    (set) => {
      if (state.poll.lastPollDurationSeconds !== null) set({}, state.poll.lastPollDurationSeconds);
    },
  );
  stateGauge(
    registry,
    'kms_last_kms_sweep_timestamp_seconds',
    'Unix time when the latest full KMS exchange sweep started (every kms_interval).',
    [],
    (set) => {
      if (state.poll.lastKmsSweepTimestamp !== null) set({}, state.poll.lastKmsSweepTimestamp);
    },
  );
  stateCounter(registry, 'kms_poll_rounds_total', 'Rounds finished since start.', [], (inc) =>
    inc({}, state.poll.rounds),
  );
  stateCounter(
    registry,
    'kms_poll_overruns_total',
    'Rounds that took longer than the interval, so that the next round started late (never overlapping).',
    [],
    (inc) => inc({}, state.poll.overruns),
  );
}
