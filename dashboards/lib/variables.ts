/**
 * The dashboard's variables: the data source, the monitors (`$job`, `$instance`), the
 * filters (`$domain`, `$host`, `$product`) and the status page URL (`$status_url`).
 */
import { DS, JI, D } from './filters.js';
import type { JsonObject } from './json.js';

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

/** Grafana's `templating.list`, in the order the variables appear above the panels. */
export function variables(): JsonObject[] {
  return [
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
  ];
}
