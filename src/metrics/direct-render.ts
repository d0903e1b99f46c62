/**
 * What /metrics sends for the state: the kms_* and kms_srv_* families rendered straight
 * from MonitorState into exposition text, byte for byte what prom-client renders through
 * the collectors of src/metrics/ — same families, order, HELP, labels and values — without
 * prom-client's per-series work (a labels object per series, a sorted-key hash per set(),
 * a labels array and a join per line on render): about 10× faster (docs/performance.md).
 * The collectors stay the reference: a test renders both and requires identical text.
 * The `host="…",port="…"` prefix of a host is escaped once and shared by its ~23 series.
 *
 * HELP texts are read from the registry the collectors registered, so this stays in step
 * with src/metrics/ without copying its words.
 */
import type { Registry } from 'prom-client';
import type { SrvLookupResult } from '../dns/index.js';
import type { KmsProductResult } from '../kms/client/result.js';
import type { PlannedProduct } from '../monitor/plan.js';
import type { HostState, MonitorState } from '../monitor/state.js';
import { EXIT_CODES } from '../monitor/evaluate.js';
import { evaluationOf } from '../monitor/evaluation-of.js';

const NEEDS_ESCAPE = /[\\\n"]/;

/** prom-client's label value escaping: backslash, newline, double quote. */
function esc(value: string): string {
  return NEEDS_ESCAPE.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
    : value;
}

/** prom-client's getValueAsString. */
function num(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

type Emit = (labels: string, value: number) => void;

export class DirectRenderer {
  /** Family name → HELP and TYPE, in the registry's (registration) order. */
  private readonly help = new Map<string, { help: string; type: string }>();

  constructor(registry: Registry) {
    for (const metric of registry.getMetricsAsArray()) {
      const m = metric as unknown as { name: string; help: string; type: string };
      this.help.set(m.name, { help: m.help, type: m.type });
    }
  }

  /** The text of the kms_* (monitor) and kms_srv_* families, in registration order. */
  render(state: MonitorState, products: readonly PlannedProduct[]): string {
    const fills = new Map<string, (emit: Emit) => void>();
    const family = (name: string, fill: (emit: Emit) => void): void => {
      fills.set(name, fill);
    };

    // Escaped once per host: the prefix every series of the host starts with.
    const hosts: Array<{ h: HostState; hp: string; products: Array<[string, KmsProductResult]> }> =
      [];
    for (const h of state.hosts.values()) {
      const hp = `host="${esc(h.target.host)}",port="${h.target.port}"`;
      const list: Array<[string, KmsProductResult]> = [];
      for (const r of h.products.values()) list.push([`${hp},product="${esc(r.product)}"`, r]);
      hosts.push({ h, hp, products: list });
    }
    const eachResult = (visit: (labels: string, r: KmsProductResult) => void): void => {
      for (const host of hosts) for (const [labels, r] of host.products) visit(labels, r);
    };

    family('kms_host_up', (emit) => {
      for (const { h, hp } of hosts) if (h.tcp) emit(hp, h.tcp.up ? 1 : 0);
    });
    family('kms_host_connect_duration_seconds', (emit) => {
      for (const { h, hp } of hosts) if (h.tcp) emit(hp, h.tcp.durationSeconds);
    });
    family('kms_host_address_up', (emit) => {
      for (const { h, hp } of hosts)
        for (const a of h.addresses)
          if (a.address !== null) emit(`${hp},address="${esc(a.address)}"`, a.up ? 1 : 0);
    });
    family('kms_probe_success', (emit) => eachResult((l, r) => emit(l, r.success ? 1 : 0)));
    family('kms_probe_duration_seconds', (emit) =>
      eachResult((l, r) => emit(l, r.durationSeconds)),
    );
    family('kms_host_active_clients', (emit) =>
      eachResult((l, r) => {
        if (r.success && r.activeClients !== null) emit(l, r.activeClients);
      }),
    );
    family('kms_host_activation_interval_seconds', (emit) =>
      eachResult((l, r) => {
        if (r.success && r.activationIntervalMinutes !== null)
          emit(l, r.activationIntervalMinutes * 60);
      }),
    );
    family('kms_host_renewal_interval_seconds', (emit) =>
      eachResult((l, r) => {
        if (r.success && r.renewalIntervalMinutes !== null) emit(l, r.renewalIntervalMinutes * 60);
      }),
    );
    family('kms_host_info', (emit) =>
      eachResult((l, r) => {
        if (!r.success) return;
        emit(
          `${l},epid="${esc(r.epid ?? '')}",hwid="${esc(r.hwid ?? '')}",host_build="${
            r.hostBuild === null ? '' : r.hostBuild
          }",protocol="${r.protocol === null ? '' : `${r.protocol}.0`}"`,
          1,
        );
      }),
    );
    family('kms_host_key_install_timestamp_seconds', (emit) =>
      eachResult((l, r) => {
        if (r.success && r.keyInstallDate) emit(l, Date.parse(r.keyInstallDate) / 1000);
      }),
    );
    family('kms_activation_threshold', (emit) => {
      for (const p of products) emit(`product="${esc(p.slug)}"`, p.nPolicy);
    });
    // Counters: prom-client merges entries whose labels are equal (inc on one series).
    const counter = (
      name: string,
      entries: Iterable<{ labels: Record<string, string>; value: number }>,
      names: readonly string[],
    ): void =>
      family(name, (emit) => {
        const merged = new Map<string, number>();
        for (const { labels, value } of entries) {
          let text = '';
          for (const n of names) text += `${text === '' ? '' : ','}${n}="${esc(labels[n] ?? '')}"`;
          merged.set(text, (merged.get(text) ?? 0) + value);
        }
        for (const [text, value] of merged) emit(text, value);
      });
    counter('kms_probe_failures_total', state.kmsFailures.entries(), [
      'host',
      'port',
      'product',
      'reason',
    ]);
    counter('kms_host_connect_failures_total', state.tcpFailures.entries(), [
      'host',
      'port',
      'reason',
    ]);
    counter('kms_srv_lookup_failures_total', state.dnsFailures.entries(), [
      'domain',
      'resolver',
      'reason',
    ]);
    counter('kms_probes_total', state.probes.entries(), ['kind']);
    family('kms_srv_resolvers_disagree', (emit) => {
      for (const d of state.domains.values())
        emit(`domain="${esc(d.domain)}"`, d.resolversDisagree ? 1 : 0);
    });
    family('kms_srv_expected_host_missing', (emit) => {
      for (const d of state.domains.values())
        for (const host of d.missingExpectedHosts)
          emit(`domain="${esc(d.domain)}",host="${esc(host)}"`, 1);
    });
    family('kms_domain_product_working_hosts', (emit) => {
      for (const v of evaluationOf(state, products).verdicts)
        emit(`domain="${esc(v.domain)}",product="${esc(v.product)}"`, v.workingHosts);
    });
    family('kms_domain_status', (emit) => {
      for (const [domain, status] of evaluationOf(state, products).domainStatus)
        emit(`domain="${esc(domain)}"`, EXIT_CODES[status]);
    });
    family('kms_findings', (emit) => {
      const counts = new Map<string, number>();
      for (const f of evaluationOf(state, products).problems) {
        const labels = `code="${f.code}",severity="${f.severity}"`;
        counts.set(labels, (counts.get(labels) ?? 0) + 1);
      }
      for (const [labels, n] of counts) emit(labels, n);
    });
    family('kms_targets_truncated', (emit) => emit('', state.hostsCut));
    family('kms_last_poll_timestamp_seconds', (emit) => {
      if (state.poll.lastPollTimestamp !== null) emit('', state.poll.lastPollTimestamp);
    });
    family('kms_poll_duration_seconds', (emit) => {
      if (state.poll.lastPollDurationSeconds !== null) emit('', state.poll.lastPollDurationSeconds);
    });
    family('kms_last_kms_sweep_timestamp_seconds', (emit) => {
      if (state.poll.lastKmsSweepTimestamp !== null) emit('', state.poll.lastKmsSweepTimestamp);
    });
    family('kms_poll_rounds_total', (emit) => emit('', state.poll.rounds));
    family('kms_poll_overruns_total', (emit) => emit('', state.poll.overruns));

    // kms_srv_*: one pass over the lookups, prefix escaped once per lookup.
    const lookups: Array<{ r: SrvLookupResult; at: string }> = [];
    for (const d of state.domains.values())
      for (const r of d.lookups)
        lookups.push({ r, at: `domain="${esc(r.domain)}",resolver="${esc(r.resolver)}"` });
    family('kms_srv_lookup_success', (emit) => {
      for (const { r, at } of lookups) emit(at, r.success ? 1 : 0);
    });
    family('kms_srv_lookup_duration_seconds', (emit) => {
      for (const { r, at } of lookups) emit(at, r.durationSeconds);
    });
    family('kms_srv_records', (emit) => {
      for (const { r, at } of lookups)
        if (r.success) emit(at, r.records.length + r.truncatedRecords);
    });
    family('kms_srv_records_truncated', (emit) => {
      for (const { r, at } of lookups) if (r.success) emit(at, r.truncatedRecords);
    });
    family('kms_srv_record_info', (emit) => {
      for (const { r, at } of lookups)
        for (const record of r.records)
          emit(
            `${at},host="${esc(record.host)}",port="${record.port}",priority="${record.priority}",weight="${record.weight}"`,
            1,
          );
    });
    // Families in the registry's order, as prom-client renders them; one this file does
    // not know means src/metrics/ grew a family: fail loudly rather than drop it.
    const out: string[] = [];
    for (const [name, meta] of this.help) {
      const fill = fills.get(name);
      if (!fill) throw new Error(`direct renderer: no renderer for ${name}`);
      // An array joined once, not `text +=`: a 256k-piece rope costs far more to flatten
      // (measured: ~1.5× the time, most of it in the garbage collector).
      const lines = [
        `# HELP ${name} ${meta.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
        `# TYPE ${name} ${meta.type}`,
      ];
      fill((labels, value) => {
        lines.push(labels === '' ? `${name} ${num(value)}` : `${name}{${labels}} ${num(value)}`);
      });
      out.push(lines.join('\n'));
    }
    return out.join('\n\n');
  }
}
