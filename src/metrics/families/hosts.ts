/** KMS host reachability: the TCP probe of every host and of each of its addresses. */
import { LabelNames } from '../exposition.js';
import { HOST_LABELS, labelledCounterFamily, type StateFamily } from '../state-scrape.js';

const ADDRESS_LABELS = new LabelNames(['address']);

export const HOST_UP: StateFamily = {
  name: 'kms_host_up',
  type: 'gauge',
  help: 'Whether a TCP connection to the KMS host succeeded in the latest round (1) or not (0). A published host that is down is a stale SRV record: clients trying it lose time or fail with 0x800706BA.',
  labels: HOST_LABELS.names,
  samples(scrape, emit) {
    for (const { host, labels } of scrape.hosts) if (host.tcp) emit(labels, host.tcp.up ? 1 : 0);
  },
};

export const HOST_CONNECT_DURATION: StateFamily = {
  name: 'kms_host_connect_duration_seconds',
  type: 'gauge',
  help: 'Seconds the latest TCP connect to the KMS host took (also set when it failed).',
  labels: HOST_LABELS.names,
  samples(scrape, emit) {
    for (const { host, labels } of scrape.hosts)
      if (host.tcp) emit(labels, host.tcp.durationSeconds);
  },
};

export const HOST_ADDRESS_UP: StateFamily = {
  name: 'kms_host_address_up',
  type: 'gauge',
  help: 'Whether a TCP connection to this address of the KMS host succeeded in the latest round (1) or not (0). Every A and AAAA address is probed; the host is up if any is, as clients fall back from one to the next.',
  labels: [...HOST_LABELS.names, ...ADDRESS_LABELS.names],
  samples(scrape, emit) {
    for (const { host, labels } of scrape.hosts)
      for (const a of host.addresses)
        if (a.address !== null) emit(ADDRESS_LABELS.text([a.address], labels), a.up ? 1 : 0);
  },
};

export const HOST_CONNECT_FAILURES = labelledCounterFamily({
  name: 'kms_host_connect_failures_total',
  help: 'TCP reachability probes that failed, by reason (connect_refused, connect_timeout, network).',
  labels: [...HOST_LABELS.names, 'reason'],
  counter: (state) => state.tcpFailures,
});
