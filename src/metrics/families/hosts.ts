/** KMS host reachability: the TCP probe of every host and of each of its addresses. */
import { HOST_LABELS, HOSTS, labelledCounterFamily } from '../state-scrape.js';

export const HOST_UP = HOSTS.gauge(
  'kms_host_up',
  'Whether a TCP connection to the KMS host succeeded in the latest round (1) or not (0). A published host that is down is a stale SRV record: clients trying it lose time or fail with 0x800706BA.',
  ({ host }) => (host.tcp ? (host.tcp.up ? 1 : 0) : null),
);

export const HOST_CONNECT_DURATION = HOSTS.gauge(
  'kms_host_connect_duration_seconds',
  'Seconds the latest TCP connect to the KMS host took (also set when it failed).',
  ({ host }) => host.tcp?.durationSeconds ?? null,
);

export const HOST_ADDRESS_UP = HOSTS.labelledGauge({
  name: 'kms_host_address_up',
  help: 'Whether a TCP connection to this address of the KMS host succeeded in the latest round (1) or not (0). Every A and AAAA address is probed; the host is up if any is, as clients fall back from one to the next.',
  labels: ['address'],
  samples({ host }, emit) {
    for (const a of host.addresses) if (a.address !== null) emit([a.address], a.up ? 1 : 0);
  },
});

export const HOST_CONNECT_FAILURES = labelledCounterFamily({
  name: 'kms_host_connect_failures_total',
  help: 'TCP reachability probes that failed, by reason (connect_refused, connect_timeout, network).',
  labels: [...HOST_LABELS.names, 'reason'],
  counter: (state) => state.tcpFailures,
});
