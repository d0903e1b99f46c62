/**
 * Data links to the status page of the monitor chosen in `$status_url`. A host has its
 * page, `/host/<host>:<port>` (src/web/status-page/routes.ts); host names and ports need
 * no escaping there. A domain has no page of its own yet (a `/domain/<name>` page is
 * planned): its links open the status page root at the domain's section, whose id is
 * `domain-<name>` (anchorId in src/web/status-page/format.ts).
 */
import { byName } from './field-config.js';
import type { Json } from './json.js';

export const STATUS_LINK_TITLES = {
  host: 'Status page of this host',
  domain: 'This domain on the status page',
  monitor: 'Status page of this monitor',
} as const;

export const link = (title: string, url: string): Json => ({ targetBlank: true, title, url });

/** From a table row (instant query): the row's fields. */
export const hostRowLink = link(
  STATUS_LINK_TITLES.host,
  '${status_url}/host/${__data.fields.host}:${__data.fields.port}',
);
export const domainRowLink = link(
  STATUS_LINK_TITLES.domain,
  '${status_url}/#domain-${__data.fields.domain}',
);
/** From a series (graphs, timelines): the series' labels. */
export const hostSeriesLink = link(
  STATUS_LINK_TITLES.host,
  '${status_url}/host/${__field.labels.host}:${__field.labels.port}',
);
export const domainSeriesLink = link(
  STATUS_LINK_TITLES.domain,
  '${status_url}/#domain-${__field.labels.domain}',
);
export const monitorLink = link(STATUS_LINK_TITLES.monitor, '${status_url}/');

/** Links on one column of a table. */
export const columnLinks = (name: string, links: Json[]): Json =>
  byName(name, [{ id: 'links', value: links }]);
