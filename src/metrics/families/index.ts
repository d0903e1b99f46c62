/**
 * Every kms_* family, in the order /metrics writes them. A new family is declared in the
 * file of its subject and listed here; the golden file, the README table and the label
 * test (test/metrics/) then require its text, its row and its labels.
 */
import type { ExporterFamily } from './exporter.js';
import type { StateFamily } from '../state-scrape.js';
import {
  EXPORTER_BUILD_INFO,
  EXPORTER_CONFIG_LAST_RELOAD_SUCCESS_TIMESTAMP,
  EXPORTER_CONFIG_LAST_RELOAD_SUCCESSFUL,
} from './exporter.js';
import {
  ACTIVATION_THRESHOLD,
  HOST_ACTIVATION_INTERVAL,
  HOST_ACTIVE_CLIENTS,
  HOST_INFO,
  HOST_KEY_INSTALL_TIMESTAMP,
  HOST_RENEWAL_INTERVAL,
  PROBE_DURATION,
  PROBE_FAILURES,
  PROBE_SUCCESS,
} from './exchanges.js';
import { HOST_ADDRESS_UP, HOST_CONNECT_DURATION, HOST_CONNECT_FAILURES, HOST_UP } from './hosts.js';
import {
  LAST_KMS_SWEEP_TIMESTAMP,
  LAST_POLL_TIMESTAMP,
  POLL_DURATION,
  POLL_OVERRUNS,
  POLL_ROUNDS,
  PROBES,
  TARGETS_TRUNCATED,
} from './poll.js';
import {
  SRV_EXPECTED_HOST_MISSING,
  SRV_LOOKUP_DURATION,
  SRV_LOOKUP_FAILURES,
  SRV_LOOKUP_SUCCESS,
  SRV_RECORD_INFO,
  SRV_RECORDS,
  SRV_RECORDS_TRUNCATED,
  SRV_RESOLVERS_DISAGREE,
} from './srv.js';
import { HOST_TRUST_CHECK } from './trust.js';
import { ADBA_FAMILIES } from './adba.js';
import { DOMAIN_PRODUCT_READY, HOST_COVERAGE } from './coverage.js';
import { DOMAIN_PRODUCT_WORKING_HOSTS, DOMAIN_STATUS, FINDINGS } from './verdicts.js';

/** The families read from the monitor state: rendered again only when it changes. */
export const STATE_FAMILIES: readonly StateFamily[] = [
  HOST_UP,
  HOST_CONNECT_DURATION,
  HOST_ADDRESS_UP,
  PROBE_SUCCESS,
  PROBE_DURATION,
  HOST_ACTIVE_CLIENTS,
  HOST_ACTIVATION_INTERVAL,
  HOST_RENEWAL_INTERVAL,
  HOST_KEY_INSTALL_TIMESTAMP,
  HOST_INFO,
  HOST_TRUST_CHECK,
  HOST_COVERAGE,
  ACTIVATION_THRESHOLD,
  PROBE_FAILURES,
  HOST_CONNECT_FAILURES,
  SRV_LOOKUP_FAILURES,
  PROBES,
  SRV_RESOLVERS_DISAGREE,
  SRV_EXPECTED_HOST_MISSING,
  DOMAIN_PRODUCT_WORKING_HOSTS,
  DOMAIN_STATUS,
  DOMAIN_PRODUCT_READY,
  FINDINGS,
  TARGETS_TRUNCATED,
  LAST_POLL_TIMESTAMP,
  POLL_DURATION,
  LAST_KMS_SWEEP_TIMESTAMP,
  POLL_ROUNDS,
  POLL_OVERRUNS,
  SRV_LOOKUP_SUCCESS,
  SRV_LOOKUP_DURATION,
  SRV_RECORDS,
  SRV_RECORDS_TRUNCATED,
  SRV_RECORD_INFO,
  ...ADBA_FAMILIES,
];

/** The families about kms-monitor itself: rendered on every scrape, after the process's. */
export const EXPORTER_FAMILIES: readonly ExporterFamily[] = [
  EXPORTER_BUILD_INFO,
  EXPORTER_CONFIG_LAST_RELOAD_SUCCESSFUL,
  EXPORTER_CONFIG_LAST_RELOAD_SUCCESS_TIMESTAMP,
];
