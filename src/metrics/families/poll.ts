/** The poller itself: probes run, rounds, their timing, and hosts left out by limits. */
import { scalarFamily } from '../family.js';
import { labelledCounterFamily, type StateFamily, type StateScrape } from '../state-scrape.js';
import type { PollStats } from '../../monitor/state.js';

/** An unlabelled family of the poll statistics; absent while the value is unknown (null). */
const pollFamily = (
  type: 'gauge' | 'counter',
  name: string,
  help: string,
  value: (poll: PollStats) => number | null,
) => scalarFamily(type, name, help, (scrape: StateScrape) => value(scrape.state.poll));

export const PROBES = labelledCounterFamily({
  name: 'kms_probes_total',
  help: 'Probes run since start, by kind: dns (SRV lookups), tcp (reachability), kms (full exchanges, each one a real activation request counted by the host), trust (the authenticity checks of docs/trust.md, with the same client ID).',
  labels: ['kind'],
  counter: (state) => state.probes,
});

export const TARGETS_TRUNCATED: StateFamily = scalarFamily(
  'gauge',
  'kms_targets_truncated',
  'KMS hosts left unprobed in the latest round because of limits.hosts_total.',
  (scrape) => scrape.state.hostsCut,
);

export const LAST_POLL_TIMESTAMP = pollFamily(
  'gauge',
  'kms_last_poll_timestamp_seconds',
  'Unix time when the latest round (DNS discovery and TCP reachability) finished. If it stops moving, the monitor is not polling.',
  (poll) => poll.lastPollTimestamp,
);

export const POLL_DURATION = pollFamily(
  'gauge',
  'kms_poll_duration_seconds',
  'Seconds the latest round took. Near or above the interval, rounds start late (see kms_poll_overruns_total).',
  (poll) => poll.lastPollDurationSeconds,
);

export const LAST_KMS_SWEEP_TIMESTAMP = pollFamily(
  'gauge',
  'kms_last_kms_sweep_timestamp_seconds',
  'Unix time when the latest full KMS exchange sweep started (every kms_interval).',
  (poll) => poll.lastKmsSweepTimestamp,
);

export const POLL_ROUNDS = pollFamily(
  'counter',
  'kms_poll_rounds_total',
  'Rounds finished since start.',
  (poll) => poll.rounds,
);

export const POLL_OVERRUNS = pollFamily(
  'counter',
  'kms_poll_overruns_total',
  'Rounds that took longer than the interval, so that the next round started late (never overlapping).',
  (poll) => poll.overruns,
);
