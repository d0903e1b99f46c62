/**
 * Data links to the status page of the monitor chosen in `$status_url`. A host has its
 * page, `/host/<host>:<port>`, and a domain too, `/domain/<name>`
 * (src/web/status-page/routes.ts); host and domain names and ports need no escaping there.
 */
import { byName } from './field-config.js';
import type { Json } from './json.js';

export const STATUS_LINK_TITLES = {
  host: 'Status page of this host',
  domain: 'This domain on the status page',
  monitor: 'Status page of this monitor',
} as const;

export const link = (title: string, url: string): Json => ({ targetBlank: true, title, url });

/**
 * Where a link finds the host, port and domain: in a table row (instant query) the row's
 * fields, in a series (graphs, timelines) the series' labels.
 */
const hostLink = (from: string): Json =>
  link(STATUS_LINK_TITLES.host, `\${status_url}/host/\${${from}.host}:\${${from}.port}`);
const domainLink = (from: string): Json =>
  link(STATUS_LINK_TITLES.domain, `\${status_url}/domain/\${${from}.domain}`);

export const hostRowLink = hostLink('__data.fields');
export const domainRowLink = domainLink('__data.fields');
export const hostSeriesLink = hostLink('__field.labels');
export const domainSeriesLink = domainLink('__field.labels');
export const monitorLink = link(STATUS_LINK_TITLES.monitor, '${status_url}/');

/** Links on one column of a table. */
export const columnLinks = (name: string, links: Json[]): Json =>
  byName(name, [{ id: 'links', value: links }]);
