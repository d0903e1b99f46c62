/**
 * Generates dashboards/kms-monitor.json, the provisionable Grafana dashboard of kms-monitor.
 * Edit this file, then run `npx tsx dashboards/generate.ts`; test/deploy/dashboard.test.ts
 * fails when the committed JSON differs from what this generator builds.
 *
 * Grafana JSON model: schemaVersion 39 (Grafana 10.4 / 11). Every query goes to the
 * `${datasource}` variable; `$job` and `$instance` pick the monitor(s) (two monitors would
 * otherwise mix), `$domain`, `$host` and `$product` filter; counters use
 * `$__rate_interval`. Metric names are those of the README's metric table and the
 * per-monitor recording rules of deploy/prometheus/recording-rules.yml (the per-domain
 * counts there merge the monitors, so the panels aggregate the per-host series instead).
 * Host and domain cells link to the monitor's status page at `$status_url`.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export const DASHBOARD_UID = 'kms-monitor';
export const DASHBOARD_FILE = fileURLToPath(new URL('./kms-monitor.json', import.meta.url));

/** The repository's web address from package.json (`git+https://…/name.git`). */
function projectUrl(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    repository: { url: string };
  };
  return pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
}
const RUNBOOKS = `${projectUrl()}/blob/main/docs/alerts.md`;

const DS: JsonObject = { type: 'prometheus', uid: '${datasource}' };

/** Label filters every query uses, so that the variables narrow every panel. */
const JI = 'job=~"$job", instance=~"$instance"';
const D = 'domain=~"$domain"';
const H = 'host=~"$host"';
const P = 'product=~"$product"';
const HP = `${H}, ${P}`;

interface Query {
  expr: string;
  legend?: string;
  /** Instant query rendered as a table (tables); default: range query (graphs). */
  table?: boolean;
}

function targets(queries: Query[]): Json[] {
  return queries.map((q, i) => {
    const refId = String.fromCharCode(65 + i);
    const target: JsonObject = {
      datasource: DS,
      editorMode: 'code',
      expr: q.expr,
      refId,
    };
    if (q.table) {
      Object.assign(target, {
        format: 'table',
        instant: true,
        range: false,
        legendFormat: '__auto',
      });
    } else {
      Object.assign(target, { range: true, instant: false, legendFormat: q.legend ?? '__auto' });
    }
    return target;
  });
}

interface Box {
  w: number;
  h: number;
}

interface PanelSpec extends Box {
  type: string;
  title: string;
  description: string;
  queries: Query[];
  fieldConfig?: JsonObject;
  options?: JsonObject;
  transformations?: Json[];
}

const thresholds = (steps: Array<[number | null, string]>): JsonObject => ({
  mode: 'absolute',
  steps: steps.map(([value, color]) => ({ color, value })),
});

const upDownMappings: Json[] = [
  {
    type: 'value',
    options: {
      '0': { color: 'red', index: 0, text: 'down' },
      '1': { color: 'green', index: 1, text: 'up' },
    },
  },
];

const okFailMappings = (ok: string, fail: string): Json[] => [
  {
    type: 'value',
    options: {
      '0': { color: 'red', index: 0, text: fail },
      '1': { color: 'green', index: 1, text: ok },
    },
  },
];

function timeseries(
  title: string,
  description: string,
  queries: Query[],
  box: Box,
  unit = 'short',
  extra: { bars?: boolean; overrides?: Json[]; min?: number; links?: Json[] } = {},
): PanelSpec {
  return {
    type: 'timeseries',
    title,
    description,
    queries,
    ...box,
    fieldConfig: {
      defaults: {
        unit,
        ...(extra.min === undefined ? {} : { min: extra.min }),
        ...(extra.links ? { links: extra.links } : {}),
        color: { mode: 'palette-classic' },
        custom: {
          drawStyle: extra.bars ? 'bars' : 'line',
          fillOpacity: extra.bars ? 80 : 10,
          lineWidth: 1,
          showPoints: 'never',
          spanNulls: false,
          stacking: { group: 'A', mode: extra.bars ? 'normal' : 'none' },
        },
      },
      overrides: extra.overrides ?? [],
    },
    options: {
      legend: { calcs: [], displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  };
}

function stateTimeline(
  title: string,
  description: string,
  queries: Query[],
  box: Box,
  mappings: Json[],
  links: Json[],
): PanelSpec {
  return {
    type: 'state-timeline',
    title,
    description,
    queries,
    ...box,
    fieldConfig: {
      defaults: {
        color: { mode: 'thresholds' },
        mappings,
        links,
        thresholds: thresholds([
          [null, 'red'],
          [1, 'green'],
        ]),
        custom: { fillOpacity: 80, lineWidth: 0 },
      },
      overrides: [],
    },
    options: {
      alignValue: 'left',
      mergeValues: true,
      rowHeight: 0.9,
      showValue: 'never',
      legend: { displayMode: 'list', placement: 'bottom', showLegend: false },
      tooltip: { mode: 'single', sort: 'none' },
    },
  };
}

function stat(
  title: string,
  description: string,
  expr: string,
  box: Box,
  steps: Array<[number | null, string]>,
  unit = 'short',
): PanelSpec {
  return {
    type: 'stat',
    title,
    description,
    queries: [{ expr, table: false, legend: title }],
    ...box,
    fieldConfig: {
      defaults: {
        unit,
        color: { mode: 'thresholds' },
        mappings: [],
        thresholds: thresholds(steps),
      },
      overrides: [],
    },
    options: {
      colorMode: 'background',
      graphMode: 'none',
      justifyMode: 'center',
      orientation: 'auto',
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      textMode: 'value',
    },
  };
}

/** Hides the columns every instant table query carries but nobody needs. */
function organize(renameByName: Record<string, string> = {}, extraExcludes: string[] = []): Json {
  const excludeByName: JsonObject = { Time: true, __name__: true, job: true, instance: true };
  for (const name of extraExcludes) excludeByName[name] = true;
  return {
    id: 'organize',
    options: { excludeByName, indexByName: {}, renameByName },
  };
}

function table(
  title: string,
  description: string,
  queries: Query[],
  box: Box,
  fieldConfig: JsonObject,
  transformations: Json[],
): PanelSpec {
  return {
    type: 'table',
    title,
    description,
    queries: queries.map((q) => ({ ...q, table: true })),
    ...box,
    fieldConfig,
    options: { cellHeight: 'sm', showHeader: true, footer: { show: false, reducer: ['sum'] } },
    transformations,
  };
}

const byName = (name: string, properties: Json[]): Json => ({
  matcher: { id: 'byName', options: name },
  properties,
});

const colorBackground: Json = { id: 'custom.cellOptions', value: { type: 'color-background' } };

/**
 * Data links to the status page of the monitor chosen in `$status_url`. A host has its
 * page, `/host/<host>:<port>` (src/web/status-page/routes.ts); host names and ports need
 * no escaping there. A domain has no page of its own yet (a `/domain/<name>` page is
 * planned): its links open the status page root at the domain's section, whose id is
 * `domain-<name>` (anchorId in src/web/status-page/format.ts).
 */
export const STATUS_LINK_TITLES = {
  host: 'Status page of this host',
  domain: 'This domain on the status page',
  monitor: 'Status page of this monitor',
} as const;
const link = (title: string, url: string): Json => ({ targetBlank: true, title, url });
/** From a table row (instant query): the row's fields. */
const hostRowLink = link(
  STATUS_LINK_TITLES.host,
  '${status_url}/host/${__data.fields.host}:${__data.fields.port}',
);
const domainRowLink = link(
  STATUS_LINK_TITLES.domain,
  '${status_url}/#domain-${__data.fields.domain}',
);
/** From a series (graphs, timelines): the series' labels. */
const hostSeriesLink = link(
  STATUS_LINK_TITLES.host,
  '${status_url}/host/${__field.labels.host}:${__field.labels.port}',
);
const domainSeriesLink = link(
  STATUS_LINK_TITLES.domain,
  '${status_url}/#domain-${__field.labels.domain}',
);
const monitorLink = link(STATUS_LINK_TITLES.monitor, '${status_url}/');
/** Links on one column of a table. */
const columnLinks = (name: string, links: Json[]): Json =>
  byName(name, [{ id: 'links', value: links }]);

/** The rows of the dashboard, top to bottom; panels fill 24 columns left to right. */
function rows(): Array<{ title: string; panels: PanelSpec[] }> {
  return [
    {
      title: 'Can every domain activate every product?',
      panels: [
        table(
          'Hosts able to activate, by domain and product',
          'KMS machines published under _vlmcs._tcp.<domain> that can activate the product now (reachable, answered the product, counted at least N clients; names of one machine once), as the chosen monitors judge it (kms_domain_product_working_hosts). Every configured domain has a cell, also one with no record or failing lookups. A domain opens its section of the status page. 0 (red): clients of the domain cannot activate the product (0xC004F074 or 0xC004F038). 1 (orange): it works, without redundancy.',
          [
            {
              // Each monitor's own verdict; over several chosen monitors, the best one.
              expr: `max by (domain, product) (kms_domain_product_working_hosts{${JI}, ${D}, ${P}})`,
            },
          ],
          { w: 12, h: 8 },
          {
            defaults: {
              color: { mode: 'thresholds' },
              thresholds: thresholds([
                [null, 'red'],
                [1, 'orange'],
                [2, 'green'],
              ]),
              custom: { align: 'center', cellOptions: { type: 'color-background' } },
            },
            overrides: [
              byName('domain\\product', [
                { id: 'custom.cellOptions', value: { type: 'auto' } },
                { id: 'custom.align', value: 'left' },
                // After groupingToMatrix the domain is this column's value.
                {
                  id: 'links',
                  value: [link(STATUS_LINK_TITLES.domain, '${status_url}/#domain-${__value.raw}')],
                },
              ]),
            ],
          },
          [
            {
              id: 'groupingToMatrix',
              options: { columnField: 'product', rowField: 'domain', valueField: 'Value' },
            },
          ],
        ),
        stat(
          'Domain × product with no working host',
          'Pairs of a domain and a product where no published host can activate now (down, refused, or below N): clients get 0xC004F074 or 0xC004F038 (alert KmsNoWorkingHost).',
          `count(max by (domain, product) (kms_domain_product_working_hosts{${JI}, ${D}, ${P}}) == 0) or vector(0)`,
          { w: 4, h: 4 },
          [
            [null, 'green'],
            [1, 'red'],
          ],
        ),
        stat(
          'Published hosts down',
          'KMS hosts published in DNS whose TCP port does not answer: stale SRV records (alert KmsPublishedHostDown).',
          `count(max by (job, instance, host, port) (kms:srv_record:published{${JI}, ${D}}) and on (job, instance, host, port) (kms_host_up{${JI}, ${H}} == 0)) or vector(0)`,
          { w: 4, h: 4 },
          [
            [null, 'green'],
            [1, 'orange'],
          ],
        ),
        stat(
          'Counts below threshold',
          'Host and product pairs whose client count is below N: the host answers but does not activate, clients get 0xC004F038.',
          `count(kms_host_active_clients{${JI}, ${HP}} < on (job, instance, product) group_left () kms_activation_threshold{${JI}}) or vector(0)`,
          { w: 4, h: 4 },
          [
            [null, 'green'],
            [1, 'orange'],
          ],
        ),
        stat(
          'Firing KMS alerts',
          'Alerts of deploy/prometheus/alerting-rules.yml firing now (Prometheus ALERTS series): those of the chosen monitors, and the per-domain ones (KmsNoWorkingHost, KmsDomainSingleHost...), which merge every monitor and carry no instance.',
          // `$job|`: an alert without the label (the per-domain ones) matches too.
          'count(ALERTS{alertstate="firing", alertname=~"Kms.*", job=~"$job|", instance=~"$instance|"}) or vector(0)',
          { w: 4, h: 4 },
          [
            [null, 'green'],
            [1, 'red'],
          ],
        ),
        stat(
          'Since the last polling round',
          'Seconds since kms-monitor last finished a round (kms_last_poll_timestamp_seconds). More than a few intervals: the monitor is stuck (alert KmsMonitorNotPolling).',
          `time() - max(kms_last_poll_timestamp_seconds{${JI}})`,
          { w: 4, h: 4 },
          [
            [null, 'green'],
            [120, 'orange'],
            [300, 'red'],
          ],
          's',
        ),
        stat(
          'Resolvers disagreeing',
          'Domains whose DNS servers return different _vlmcs._tcp record sets (alert KmsSrvResolversDisagree).',
          `count(kms_srv_resolvers_disagree{${JI}, ${D}} == 1) or vector(0)`,
          { w: 4, h: 4 },
          [
            [null, 'green'],
            [1, 'orange'],
          ],
        ),
      ],
    },
    {
      title: 'Client counts',
      panels: [
        timeseries(
          'Client count versus activation threshold',
          "Each host's current count per product (Microsoft: CurrentCount; distinct clients of the last 30 days, this monitor included, capped at 2N) against N, the dashed line: 25 Windows client, 5 Windows Server and Office. Below N clients get 0xC004F038.",
          [
            {
              expr: `kms_host_active_clients{${JI}, ${HP}}`,
              legend: '{{host}}:{{port}} {{product}}',
            },
            {
              expr: `max by (product) (kms_activation_threshold{${JI}, ${P}})`,
              legend: 'N {{product}}',
            },
          ],
          { w: 16, h: 9 },
          'short',
          {
            min: 0,
            overrides: [
              {
                matcher: { id: 'frameRefID', options: 'A' },
                properties: [{ id: 'links', value: [hostSeriesLink] }],
              },
              {
                matcher: { id: 'frameRefID', options: 'B' },
                properties: [
                  { id: 'custom.lineStyle', value: { dash: [10, 10], fill: 'dash' } },
                  { id: 'custom.fillOpacity', value: 0 },
                  { id: 'custom.lineWidth', value: 2 },
                ],
              },
            ],
          },
        ),
        table(
          'Count minus threshold now',
          'Current count minus N per host and product: negative means the host does not activate that product (0xC004F038); below the margin of kms:activation_threshold:near (N + 20 %, at least 2) it soon may not.',
          [
            {
              expr: `kms_host_active_clients{${JI}, ${HP}} - on (job, instance, product) group_left () kms_activation_threshold{${JI}}`,
            },
          ],
          { w: 8, h: 9 },
          {
            defaults: {
              color: { mode: 'thresholds' },
              thresholds: thresholds([
                [null, 'red'],
                [0, 'orange'],
                [5, 'green'],
              ]),
            },
            overrides: [byName('count − N', [colorBackground]), columnLinks('host', [hostRowLink])],
          },
          [organize({ Value: 'count − N' })],
        ),
      ],
    },
    {
      title: 'DNS: _vlmcs._tcp SRV records',
      panels: [
        table(
          'Published KMS hosts (SRV records)',
          'Every _vlmcs._tcp record of every domain and resolver with its priority and weight (clients try the lowest priority first and, within a priority, favour higher weight), and whether the host answers on its port now. A host that is down here is a stale SRV record.',
          [
            {
              expr: `max by (domain, resolver, host, port, priority, weight) (kms_srv_record_info{${JI}, ${D}, ${H}}) * on (host, port) group_left () max by (host, port) (kms_host_up{${JI}})`,
            },
          ],
          { w: 14, h: 9 },
          {
            defaults: { mappings: upDownMappings },
            overrides: [
              byName('TCP', [colorBackground]),
              columnLinks('host', [hostRowLink]),
              columnLinks('domain', [domainRowLink]),
            ],
          },
          [organize({ Value: 'TCP' })],
        ),
        stateTimeline(
          'SRV lookup by resolver',
          'Whether each resolver answered the _vlmcs._tcp.<domain> query (NOERROR or NXDOMAIN). Failing: clients using that DNS server cannot find a KMS host (alert KmsSrvLookupFailing).',
          [
            {
              expr: `kms_srv_lookup_success{${JI}, ${D}}`,
              legend: '{{domain}} @ {{resolver}}',
            },
          ],
          { w: 10, h: 9 },
          okFailMappings('answered', 'failing'),
          [domainSeriesLink],
        ),
        timeseries(
          'SRV records per domain and resolver',
          'Number of _vlmcs._tcp records; 0 means clients cannot discover a KMS host (alert KmsSrvRecordMissing).',
          [{ expr: `kms_srv_records{${JI}, ${D}}`, legend: '{{domain}} @ {{resolver}}' }],
          { w: 8, h: 8 },
          'short',
          { min: 0, links: [domainSeriesLink] },
        ),
        timeseries(
          'SRV lookup duration',
          'Seconds the latest SRV lookup took per resolver, address lookups of the targets included.',
          [
            {
              expr: `kms_srv_lookup_duration_seconds{${JI}, ${D}}`,
              legend: '{{domain}} @ {{resolver}}',
            },
          ],
          { w: 8, h: 8 },
          's',
          { links: [domainSeriesLink] },
        ),
        timeseries(
          'DNS failures by reason',
          'Failed SRV lookups per interval by reason (timeout, servfail, refused, malformed...). NXDOMAIN is not a failure.',
          [
            {
              expr: `sum by (domain, reason) (increase(kms_srv_lookup_failures_total{${JI}, ${D}}[$__rate_interval]))`,
              legend: '{{domain}} {{reason}}',
            },
          ],
          { w: 8, h: 8 },
          'short',
          { bars: true, min: 0, links: [domainSeriesLink] },
        ),
      ],
    },
    {
      title: 'KMS hosts',
      panels: [
        stateTimeline(
          'Hosts up / down (TCP)',
          'Whether a TCP connection to each KMS host succeeded in each round.',
          [{ expr: `kms_host_up{${JI}, ${H}}`, legend: '{{host}}:{{port}}' }],
          { w: 12, h: 9 },
          upDownMappings,
          [hostSeriesLink],
        ),
        stateTimeline(
          'KMS exchange by host and product',
          'Whether the latest full KMS exchange for the product was answered and validated: the host can activate the product. Failing with the host up: see failures by reason (kms_error is usually 0xC004F042, the host key does not cover the product).',
          [
            {
              expr: `kms_probe_success{${JI}, ${HP}}`,
              legend: '{{host}}:{{port}} {{product}}',
            },
          ],
          { w: 12, h: 9 },
          okFailMappings('answers', 'failing'),
          [hostSeriesLink],
        ),
        timeseries(
          'KMS exchange duration',
          'Seconds of the latest KMS exchange per host and product, from connect to a verified answer.',
          [
            {
              expr: `kms_probe_duration_seconds{${JI}, ${HP}}`,
              legend: '{{host}}:{{port}} {{product}}',
            },
          ],
          { w: 8, h: 8 },
          's',
          { links: [hostSeriesLink] },
        ),
        timeseries(
          'TCP connect duration',
          'Seconds of the latest TCP connect per host (also set when it failed).',
          [
            {
              expr: `kms_host_connect_duration_seconds{${JI}, ${H}}`,
              legend: '{{host}}:{{port}}',
            },
          ],
          { w: 8, h: 8 },
          's',
          { links: [hostSeriesLink] },
        ),
        timeseries(
          'Failures by reason',
          'Failed KMS exchanges and TCP probes per interval, by reason (connect_refused, timeout, kms_error, verify_failed...). The HRESULT of a kms_error is on the status page and in `kms-monitor probe`.',
          [
            {
              expr: `sum by (reason) (increase(kms_probe_failures_total{${JI}, ${HP}}[$__rate_interval]))`,
              legend: 'kms {{reason}}',
            },
            {
              expr: `sum by (reason) (increase(kms_host_connect_failures_total{${JI}, ${H}}[$__rate_interval]))`,
              legend: 'tcp {{reason}}',
            },
          ],
          { w: 8, h: 8 },
          'short',
          { bars: true, min: 0 },
        ),
      ],
    },
    {
      title: 'Host identity',
      panels: [
        table(
          'ePID, host build and host key',
          'What each host answered (like `slmgr /dlv` on the host): the ePID of its host key, the HWID (protocol 6), the host OS build, the protocol version, when the host key was installed (from the ePID) and the activation and renewal intervals it hands out. A changed ePID or HWID means a new host key or a different machine (alert KmsHostIdentityChanged).',
          [
            { expr: `kms_host_info{${JI}, ${HP}}` },
            { expr: `kms_host_key_install_timestamp_seconds{${JI}, ${HP}} * 1000` },
            { expr: `kms_host_activation_interval_seconds{${JI}, ${HP}}` },
            { expr: `kms_host_renewal_interval_seconds{${JI}, ${HP}}` },
          ],
          { w: 24, h: 8 },
          {
            defaults: {},
            overrides: [
              byName('host key installed', [{ id: 'unit', value: 'dateTimeAsIsoNoDateIfToday' }]),
              byName('activation interval', [{ id: 'unit', value: 's' }]),
              byName('renewal interval', [{ id: 'unit', value: 's' }]),
              columnLinks('host', [hostRowLink]),
            ],
          },
          [
            { id: 'merge', options: {} },
            organize(
              {
                'Value #B': 'host key installed',
                'Value #C': 'activation interval',
                'Value #D': 'renewal interval',
              },
              ['Value #A'],
            ),
          ],
        ),
      ],
    },
    {
      title: 'kms-monitor',
      panels: [
        table(
          'Monitor instances',
          'Running kms-monitor versions and whether their last configuration (re)load succeeded (alert KmsMonitorConfigReloadFailed).',
          [
            { expr: `kms_exporter_build_info{${JI}}` },
            { expr: `kms_exporter_config_last_reload_successful{${JI}}` },
          ],
          { w: 8, h: 8 },
          {
            defaults: {},
            overrides: [
              byName('config loaded', [
                { id: 'mappings', value: okFailMappings('yes', 'failed') },
                colorBackground,
              ]),
              columnLinks('instance', [monitorLink]),
            ],
          },
          [
            { id: 'merge', options: {} },
            {
              id: 'organize',
              options: {
                excludeByName: { Time: true, __name__: true, job: true, 'Value #A': true },
                indexByName: {},
                renameByName: { 'Value #B': 'config loaded' },
              },
            },
          ],
        ),
        timeseries(
          'Round duration',
          'Seconds each polling round took (DNS, TCP and, every kms_interval, the KMS exchanges). Near or above `interval`, rounds start late (overruns).',
          [
            { expr: `kms_poll_duration_seconds{${JI}}`, legend: '{{instance}} round' },
            {
              expr: `increase(kms_poll_overruns_total{${JI}}[$__rate_interval])`,
              legend: '{{instance}} overruns',
            },
          ],
          { w: 8, h: 8 },
          's',
          {
            overrides: [
              {
                matcher: { id: 'frameRefID', options: 'B' },
                properties: [
                  { id: 'unit', value: 'short' },
                  { id: 'custom.drawStyle', value: 'bars' },
                ],
              },
            ],
          },
        ),
        timeseries(
          'Probes per second by kind',
          'Probes run: dns (SRV lookups), tcp (reachability), kms (full exchanges; each one is a real activation request the host counts once per 30 days for this monitor).',
          [
            {
              expr: `sum by (kind) (rate(kms_probes_total{${JI}}[$__rate_interval]))`,
              legend: '{{kind}}',
            },
          ],
          { w: 8, h: 8 },
          'ops',
        ),
      ],
    },
  ];
}

/**
 * A query variable. The query is stored in Grafana's classic string form
 * (`label_values(…)`, `query_result(…)`), which every Grafana since 7 reads and the
 * current ones convert to their query editor's form themselves. `regex` picks the value
 * out of a query_result line.
 */
function variable(
  name: string,
  label: string,
  query: string,
  options: { regex?: string; all?: boolean; description?: string } = {},
): JsonObject {
  const all = options.all ?? true;
  return {
    ...(all ? { allValue: '.*' } : {}),
    current: {},
    datasource: DS,
    definition: query,
    ...(options.description ? { description: options.description } : {}),
    hide: 0,
    includeAll: all,
    label,
    multi: all,
    name,
    options: [],
    query,
    refresh: 2,
    regex: options.regex ?? '',
    skipUrlSync: false,
    sort: 1,
    type: 'query',
  };
}

/** The monitors: every kms-monitor target exports kms_exporter_build_info. */
export const JOB_QUERY = 'label_values(kms_exporter_build_info, job)';
export const INSTANCE_QUERY = 'label_values(kms_exporter_build_info{job=~"$job"}, instance)';

/**
 * The KMS hosts of the chosen domains (SRV targets), plus the static hosts (`hosts:` in
 * the configuration, published in no domain) while every domain is chosen: the `unless on
 * ()` drops them as soon as some domain is left out (kms_srv_lookup_success then has a
 * series for a domain outside `$domain`).
 */
export const HOST_EXPR =
  `group by (host) (kms_srv_record_info{${JI}, ${D}})` +
  ` or (group by (host) (kms_host_up{${JI}} unless on (job, instance, host, port) kms_srv_record_info{${JI}})` +
  ` unless on () kms_srv_lookup_success{${JI}, domain!~"$domain"})`;

/**
 * The status page's base URL, derived from the chosen monitor's `instance`
 * (`http://<host:port>`), because Grafana cannot know how a browser reaches the monitor.
 * A text box cannot default to another variable's value, hence a query: it offers one
 * URL per chosen instance. Behind TLS or a proxy, or when the scrape address is not what
 * browsers use, change `STATUS_URL_EXPR`'s "http://$1" (or set the scrape target's
 * `instance` label to the address browsers use, as deploy/docker/prometheus.yml does).
 */
export const STATUS_URL_EXPR = `label_replace(group by (instance) (kms_exporter_build_info{${JI}}), "status_url", "http://$1", "instance", "(.+)")`;

export function buildDashboard(): JsonObject {
  const panels: Json[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows()) {
    panels.push({
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      id: id++,
      panels: [],
      title: row.title,
      type: 'row',
    });
    y += 1;
    // Place panels left to right, wrapping at 24 columns; a column stack (stats) fills
    // the space beside a taller panel before the next line starts.
    const heights = new Array<number>(24).fill(y);
    for (const spec of row.panels) {
      let best = { x: 0, y: Number.POSITIVE_INFINITY };
      for (let x = 0; x + spec.w <= 24; x++) {
        const top = Math.max(...heights.slice(x, x + spec.w));
        if (top < best.y) best = { x, y: top };
      }
      for (let c = best.x; c < best.x + spec.w; c++) heights[c] = best.y + spec.h;
      const panel: JsonObject = {
        datasource: DS,
        description: spec.description,
        fieldConfig: spec.fieldConfig ?? { defaults: {}, overrides: [] },
        gridPos: { h: spec.h, w: spec.w, x: best.x, y: best.y },
        id: id++,
        options: spec.options ?? {},
        targets: targets(spec.queries),
        title: spec.title,
        type: spec.type,
      };
      if (spec.transformations) panel.transformations = spec.transformations;
      panels.push(panel);
    }
    y = Math.max(...heights);
  }

  return {
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    description:
      'KMS volume activation watched by kms-monitor: can every domain activate every product, SRV records, hosts, client counts versus thresholds, host identity.',
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: [
      {
        icon: 'doc',
        includeVars: false,
        keepTime: false,
        tags: [],
        targetBlank: true,
        title: 'Alert runbooks',
        tooltip: 'What each kms-monitor alert means and what to do',
        type: 'link',
        url: RUNBOOKS,
      },
    ],
    panels,
    refresh: '1m',
    schemaVersion: 39,
    tags: ['kms', 'kms-monitor', 'windows', 'activation'],
    templating: {
      list: [
        {
          current: {},
          hide: 0,
          includeAll: false,
          label: 'Data source',
          multi: false,
          name: 'datasource',
          options: [],
          query: 'prometheus',
          refresh: 1,
          regex: '',
          skipUrlSync: false,
          type: 'datasource',
        },
        variable('job', 'Job', JOB_QUERY, {
          description: 'Prometheus job(s) of the kms-monitor targets',
        }),
        variable('instance', 'Monitor', INSTANCE_QUERY, {
          description: 'kms-monitor instance(s): each watches its own network',
        }),
        variable('domain', 'Domain', `label_values(kms_srv_lookup_success{${JI}}, domain)`),
        variable('host', 'KMS host', `query_result(${HOST_EXPR})`, {
          regex: '/host="([^"]+)"/',
          description: 'KMS hosts published in the chosen domains (static hosts with every domain)',
        }),
        variable('product', 'Product', `label_values(kms_activation_threshold{${JI}}, product)`),
        variable('status_url', 'Status page', `query_result(${STATUS_URL_EXPR})`, {
          regex: '/status_url="([^"]+)"/',
          all: false,
          description:
            'Base URL of the kms-monitor status page that host and domain links open (http://<instance>)',
        }),
      ],
    },
    time: { from: 'now-24h', to: 'now' },
    timepicker: {},
    timezone: '',
    title: 'KMS activation (kms-monitor)',
    uid: DASHBOARD_UID,
    version: 1,
    weekStart: '',
  };
}

/** The dashboard as committed: JSON formatted by the repository's prettier settings. */
export async function renderDashboard(): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(DASHBOARD_FILE)) ?? {};
  return prettier.format(JSON.stringify(buildDashboard(), null, 2), {
    ...options,
    parser: 'json',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(DASHBOARD_FILE, await renderDashboard());
  process.stdout.write(`wrote ${DASHBOARD_FILE}\n`);
}
