/**
 * The whole dashboard model: the rows (dashboards/rows/, top to bottom) laid out on the
 * grid, the variables, the runbook link and Grafana's dashboard settings.
 *
 * Grafana JSON model: schemaVersion 39 (Grafana 10.4 / 11). Every query goes to the
 * `${datasource}` variable; counters use `$__rate_interval`. Metric names are those of
 * the README's metric table and the per-monitor recording rules of
 * deploy/prometheus/recording-rules.yml (the per-domain counts there merge the monitors,
 * so the panels aggregate the per-host series instead). Host and domain cells link to
 * the monitor's status page at `$status_url`.
 */
import { readFileSync } from 'node:fs';
import { activationRow } from '../rows/activation.js';
import { adbaRow } from '../rows/adba.js';
import { clientCountsRow } from '../rows/client-counts.js';
import { dnsRow } from '../rows/dns.js';
import { hostIdentityRow } from '../rows/host-identity.js';
import { kmsHostsRow } from '../rows/kms-hosts.js';
import { monitorRow } from '../rows/monitor.js';
import { trustRow } from '../rows/trust.js';
import type { JsonObject } from './json.js';
import { layout, type Row } from './layout.js';
import { variables } from './variables.js';

export const DASHBOARD_UID = 'kms-monitor';

/** Top to bottom. */
const ROWS: readonly Row[] = [
  activationRow,
  clientCountsRow,
  dnsRow,
  kmsHostsRow,
  hostIdentityRow,
  adbaRow,
  trustRow,
  monitorRow,
];

/** The repository's web address from package.json (`git+https://…/name.git`). */
function projectUrl(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    repository: { url: string };
  };
  return pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
}

export function buildDashboard(): JsonObject {
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
        url: `${projectUrl()}/blob/main/docs/alerts.md`,
      },
    ],
    panels: layout(ROWS),
    refresh: '1m',
    schemaVersion: 39,
    tags: ['kms', 'kms-monitor', 'windows', 'activation'],
    templating: { list: variables() },
    time: { from: 'now-24h', to: 'now' },
    timepicker: {},
    timezone: '',
    title: 'KMS activation (kms-monitor)',
    uid: DASHBOARD_UID,
    version: 1,
    weekStart: '',
  };
}
