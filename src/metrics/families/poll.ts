/** The poller itself: probes run, rounds, their timing, and hosts left out by limits. */
import { labelledCounterFamily, type StateFamily } from '../state-scrape.js';
import type { PollStats } from '../../monitor/state.js';

/** An unlabelled gauge of the poll statistics; absent while the value is unknown (null). */
function pollGauge(
  name: string,
  help: string,
  value: (poll: PollStats) => number | null,
): StateFamily {
  return {
    name,
    type: 'gauge',
    help,
    labels: [],
    samples(scrape, emit) {
      const v = value(scrape.state.poll);
      if (v !== null) emit('', v);
    },
  };
}

export const PROBES = labelledCounterFamily({
  name: 'kms_probes_total',
  help: 'Probes run since start, by kind: dns (SRV lookups), tcp (reachability), kms (full exchanges, each one a real activation request counted by the host).',
  labels: ['kind'],
  counter: (state) => state.probes,
});

export const TARGETS_TRUNCATED: StateFamily = {
  name: 'kms_targets_truncated',
  type: 'gauge',
  help: 'KMS hosts left unprobed in the latest round because of limits.hosts_total.',
  labels: [],
  samples: (scrape, emit) => emit('', scrape.state.hostsCut),
};

export const LAST_POLL_TIMESTAMP = pollGauge(
  'kms_last_poll_timestamp_seconds',
  'Unix time when the latest round (DNS discovery and TCP reachability) finished. If it stops moving, the monitor is not polling.',
  (poll) => poll.lastPollTimestamp,
);

export const POLL_DURATION = pollGauge(
  'kms_poll_duration_seconds',
  'Seconds the latest round took. Near or above the interval, rounds start late (see kms_poll_overruns_total).',
  (poll) => poll.lastPollDurationSeconds,
);

export const LAST_KMS_SWEEP_TIMESTAMP = pollGauge(
  'kms_last_kms_sweep_timestamp_seconds',
  'Unix time when the latest full KMS exchange sweep started (every kms_interval).',
  (poll) => poll.lastKmsSweepTimestamp,
);

export const POLL_ROUNDS: StateFamily = {
  name: 'kms_poll_rounds_total',
  type: 'counter',
  help: 'Rounds finished since start.',
  labels: [],
  samples: (scrape, emit) => emit('', scrape.state.poll.rounds),
};

export const POLL_OVERRUNS: StateFamily = {
  name: 'kms_poll_overruns_total',
  type: 'counter',
  help: 'Rounds that took longer than the interval, so that the next round started late (never overlapping).',
  labels: [],
  samples: (scrape, emit) => emit('', scrape.state.poll.overruns),
};
