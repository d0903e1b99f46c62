/** Top row: can every domain activate every product, and the counts of what is wrong now. */
import { D, H, HP, JI, P } from '../lib/filters.js';
import { byName, thresholds } from '../lib/field-config.js';
import type { Row } from '../lib/layout.js';
import { STATUS_LINK_TITLES, link } from '../lib/links.js';
import { stat, table } from '../lib/panels.js';

export const activationRow: Row = {
  title: 'Can every domain activate every product?',
  panels: [
    table({
      title: 'Hosts able to activate, by domain and product',
      description:
        'KMS machines published under _vlmcs._tcp.<domain> that can activate the product now (reachable, answered the product, counted at least N clients; names of one machine once), as the chosen monitors judge it (kms_domain_product_working_hosts). Every configured domain has a cell, also one with no record or failing lookups. A domain opens its section of the status page. 0 (red): clients of the domain cannot activate the product (0xC004F074 or 0xC004F038). 1 (orange): it works, without redundancy.',
      queries: [
        {
          // Each monitor's own verdict; over several chosen monitors, the best one.
          expr: `max by (domain, product) (kms_domain_product_working_hosts{${JI}, ${D}, ${P}})`,
        },
      ],
      size: { w: 12, h: 8 },
      fieldConfig: {
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
              value: [link(STATUS_LINK_TITLES.domain, '${status_url}/domain/${__value.raw}')],
            },
          ]),
        ],
      },
      transformations: [
        {
          id: 'groupingToMatrix',
          options: { columnField: 'product', rowField: 'domain', valueField: 'Value' },
        },
      ],
    }),
    stat({
      title: 'Domain × product with no working host',
      description:
        'Pairs of a domain and a product where no published host can activate now (down, refused, or below N): clients get 0xC004F074 or 0xC004F038 (alert KmsNoWorkingHost).',
      expr: `count(max by (domain, product) (kms_domain_product_working_hosts{${JI}, ${D}, ${P}}) == 0) or vector(0)`,
      size: { w: 4, h: 4 },
      steps: [
        [null, 'green'],
        [1, 'red'],
      ],
    }),
    stat({
      title: 'Domains not OK',
      description:
        "Domains whose verdict is WARNING, CRITICAL or UNKNOWN, as check gives it (kms_domain_status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; its own findings and those of the hosts it publishes). Over several chosen monitors, the best verdict. The status page's matrix names them.",
      expr: `count(min by (domain) (kms_domain_status{${JI}, ${D}}) > 0) or vector(0)`,
      size: { w: 4, h: 4 },
      steps: [
        [null, 'green'],
        [1, 'orange'],
      ],
    }),
    stat({
      title: 'Published hosts down',
      description:
        'KMS hosts published in DNS whose TCP port does not answer: stale SRV records (alert KmsPublishedHostDown).',
      expr: `count(max by (job, instance, host, port) (kms:srv_record:published{${JI}, ${D}}) and on (job, instance, host, port) (kms_host_up{${JI}, ${H}} == 0)) or vector(0)`,
      size: { w: 4, h: 4 },
      steps: [
        [null, 'green'],
        [1, 'orange'],
      ],
    }),
    stat({
      title: 'Counts below threshold',
      description:
        'Host and product pairs whose client count is below N: the host answers but does not activate, clients get 0xC004F038.',
      expr: `count(kms_host_active_clients{${JI}, ${HP}} < on (job, instance, product) group_left () kms_activation_threshold{${JI}}) or vector(0)`,
      size: { w: 4, h: 4 },
      steps: [
        [null, 'green'],
        [1, 'orange'],
      ],
    }),
    stat({
      title: 'Firing KMS alerts',
      description:
        'Alerts of deploy/prometheus/alerting-rules.yml firing now (Prometheus ALERTS series): those of the chosen monitors, and the per-domain ones (KmsNoWorkingHost, KmsDomainSingleHost...), which merge every monitor and carry no instance.',
      // `$job|`: an alert without the label (the per-domain ones) matches too.
      expr: 'count(ALERTS{alertstate="firing", alertname=~"Kms.*", job=~"$job|", instance=~"$instance|"}) or vector(0)',
      size: { w: 4, h: 4 },
      steps: [
        [null, 'green'],
        [1, 'red'],
      ],
    }),
    stat({
      title: 'Since the last polling round',
      description:
        'Seconds since kms-monitor last finished a round (kms_last_poll_timestamp_seconds). More than a few intervals: the monitor is stuck (alert KmsMonitorNotPolling).',
      expr: `time() - max(kms_last_poll_timestamp_seconds{${JI}})`,
      size: { w: 4, h: 4 },
      steps: [
        [null, 'green'],
        [120, 'orange'],
        [300, 'red'],
      ],
      unit: 's',
    }),
    stat({
      title: 'Resolvers disagreeing',
      description:
        'Domains whose DNS servers return different _vlmcs._tcp record sets (alert KmsSrvResolversDisagree).',
      expr: `count(kms_srv_resolvers_disagree{${JI}, ${D}} == 1) or vector(0)`,
      size: { w: 4, h: 4 },
      steps: [
        [null, 'green'],
        [1, 'orange'],
      ],
    }),
  ],
};
