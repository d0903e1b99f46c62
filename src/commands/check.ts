/**
 * `kms-monitor check`: one round over the configured targets (discovery, reachability and
 * the KMS exchange), judged and printed as a Nagios/Icinga plugin: exit 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN (including a configuration that cannot be loaded).
 */
import type { Command } from '../cli/command.js';
import { parseFlags } from '../cli/parse.js';
import {
  LOG_USAGE,
  TARGET_USAGE,
  loadConfigWithFlags,
  logOptions,
  targetOptions,
} from '../cli/common-flags.js';
import { readResolvConf } from '../dns/index.js';
import { resolveIdentity } from '../kms/client/index.js';
import { createLogger, LOG_FORMATS, LOG_LEVELS } from '../log/logger.js';
import { oneOf } from '../cli/parse.js';
import { EXIT_CODES, evaluate } from '../monitor/evaluate.js';
import { planFromConfig } from '../monitor/plan-from-config.js';
import { Poller } from '../monitor/poller.js';
import { realProbers } from '../monitor/probers.js';
import { MonitorState } from '../monitor/state.js';
import { buildStatusView } from '../monitor/status-view.js';
import { formatCheck, summaryLine } from './check-format.js';

const options = {
  ...targetOptions,
  ...logOptions,
  json: { type: 'boolean' },
} as const;

export const checkCommand: Command = {
  name: 'check',
  summary: 'one round over the configured targets, Nagios/Icinga plugin output',
  usage: `Usage: kms-monitor check [flags]

Runs one round over the configured domains and hosts (SRV lookups, TCP reachability,
the KMS exchange for every product) and reports like a Nagios/Icinga plugin:
  exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
CRITICAL: a domain where no host can activate a configured product, a failing SRV
lookup, a domain without _vlmcs._tcp records. WARNING: a host down or failing while
others work, a count below threshold, a single host in a domain, resolvers that
disagree, an expected host missing. Perfdata: count;warn;crit;min;max per host and product.

Flags:
${TARGET_USAGE}
  --json                    print the verdict, the problems and the state as JSON
${LOG_USAGE.replace('(default info)', '(default warn)')}
  -h, --help                show this help`,

  async run(argv) {
    const { values: flags } = parseFlags(argv, options);
    const log = createLogger({
      level: oneOf('log.level', flags['log.level'], LOG_LEVELS, 'warn'),
      format: oneOf('log.format', flags['log.format'], LOG_FORMATS, 'logfmt'),
    });
    let plan;
    let identity;
    try {
      const config = await loadConfigWithFlags(flags);
      plan = await planFromConfig(config, () => readResolvConf(flags['dns.resolv-conf']));
      identity = resolveIdentity({
        ...(config.identity.cmid ? { cmid: config.identity.cmid } : {}),
        ...(config.identity.workstation ? { workstation: config.identity.workstation } : {}),
      });
    } catch (err) {
      // A plugin that cannot run says UNKNOWN, so the monitoring system does not read a
      // configuration mistake as an outage.
      process.stdout.write(`KMS UNKNOWN - ${(err as Error).message}\n`);
      return EXIT_CODES.unknown;
    }
    const state = new MonitorState();
    const fixedIdentity = identity;
    const poller = new Poller(
      state,
      plan,
      realProbers(() => fixedIdentity),
      log,
    );
    await poller.runRound({ forceKms: true });
    const view = buildStatusView(state, plan.products);
    const evaluation = evaluate(view);
    if (flags.json) {
      const body = {
        status: evaluation.status,
        exitCode: EXIT_CODES[evaluation.status],
        summary: summaryLine(view, evaluation),
        problems: evaluation.problems,
        perfdata: evaluation.perfdata,
        domains: view.domains,
        hosts: view.hosts,
      };
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      process.stdout.write(formatCheck(view, evaluation));
    }
    return EXIT_CODES[evaluation.status];
  },
};
