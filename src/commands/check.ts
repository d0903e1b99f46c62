/**
 * `kms-monitor check`: one round over the targets (discovery, reachability and the KMS
 * exchange), judged and printed as a Nagios/Icinga plugin: exit 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN. Everything a Nagios or Icinga command definition needs goes on
 * the command line (targets, products, timeout, count thresholds), no file required.
 * A bad flag or configuration is UNKNOWN too, on stdout: Nagios shows stdout and reads
 * exit 2 as CRITICAL, which a typo in a command definition is not.
 */
import type { Command } from '../cli/command.js';
import { oneOf, parseFlags, UsageError } from '../cli/parse.js';
import {
  LOG_USAGE,
  TARGET_USAGE,
  loadTargets,
  logOptions,
  targetOptions,
} from '../cli/common-flags.js';
import { applyCountThresholds, DEFAULT_WARNING } from '../cli/check-thresholds.js';
import { groupProblems } from '../cli/group-problems.js';
import { parseNagiosRange } from '../cli/nagios-range.js';
import { ConfigError } from '../config/errors.js';
import { DEFAULT_RESOLV_CONF } from '../dns/index.js';
import { identityFromConfig } from '../monitor/identity-from-config.js';
import { createLogger, LOG_FORMATS, LOG_LEVELS } from '../log/logger.js';
import { EXIT_CODES } from '../monitor/evaluate.js';
import { evaluationOf } from '../monitor/evaluation-of.js';
import { planFromConfig } from '../monitor/plan-from-config.js';
import { Poller } from '../monitor/poller.js';
import { realProbers } from '../monitor/probers.js';
import { MonitorState } from '../monitor/state.js';
import { buildStatusView } from '../monitor/status-view.js';
import { AdbaScheduler } from '../monitor/adba-scheduler.js';
import { readForestLazily } from '../adba/index.js';
import { checkText, formatCheck, perfdataItems, summaryLine } from './check-format.js';
import { RoundTimeline } from '../cli/round-timeline.js';

const options = {
  ...targetOptions,
  warning: { type: 'string' },
  critical: { type: 'string' },
  json: { type: 'boolean' },
  ...logOptions,
} as const;

export const checkCommand: Command = {
  name: 'check',
  summary: 'one round over the configured targets, Nagios/Icinga plugin output',
  options,
  usage: `Usage: kms-monitor check [flags]

Runs one round over the domains and hosts (SRV lookups, TCP reachability, the KMS
exchange for every product) and reports like a Nagios/Icinga plugin:
  exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also for a bad flag or configuration).
CRITICAL: a domain where no host can activate a configured product, a failing SRV
lookup, a domain without _vlmcs._tcp records. WARNING: a host down or failing while
others work, a single host in a domain, resolvers that disagree, an expected host
missing. Counts: the margin (active clients minus the threshold N, the monitor
included) of every answered product is held against --warning and --critical.
Perfdata: 'host:port product'=count;warn;crit;0; after the long output.

Flags:
${TARGET_USAGE}
  --warning=RANGE           Nagios range for the count margin, e.g. 5: (warn when fewer
                            than 5 clients above N); default 0: (warn below N)
  --critical=RANGE          Nagios range for the count margin, e.g. 0: (critical below
                            N); default none. RANGE is [@]START:END, ~ for -infinity
  --json                    print the verdict, the problems and the state as JSON
${LOG_USAGE.replace('(default info)', '(default warn)')}
  -h, --help                show this help`,

  async run(argv) {
    try {
      return await runCheck(argv);
    } catch (err) {
      if (!(err instanceof UsageError || err instanceof ConfigError)) throw err;
      // A plugin that cannot run says UNKNOWN, so the monitoring system does not read a
      // configuration mistake as an outage.
      const summary = checkText(`KMS UNKNOWN - ${err.message}`);
      if (argv.includes('--json')) {
        const problems = [{ severity: 'unknown', message: err.message }];
        const body = { status: 'unknown', exitCode: EXIT_CODES.unknown, summary, problems };
        process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      } else {
        process.stdout.write(`${summary}\n`);
      }
      return EXIT_CODES.unknown;
    }
  },
};

async function runCheck(argv: string[]): Promise<number> {
  const timeline = RoundTimeline.fromEnv();
  timeline?.mark('modules');
  const { values: flags } = parseFlags(argv, options);
  const log = createLogger({
    level: oneOf('log.level', flags['log.level'], LOG_LEVELS, 'warn'),
    format: oneOf('log.format', flags['log.format'], LOG_FORMATS, 'logfmt'),
  });
  const thresholds = {
    warning:
      flags.warning === undefined ? DEFAULT_WARNING : parseNagiosRange(flags.warning, '--warning'),
    critical: flags.critical === undefined ? null : parseNagiosRange(flags.critical, '--critical'),
  };
  const { config, system } = await loadTargets(flags);
  timeline?.mark('config');
  // What serve logs about the system fallback (e.g. no resolv.conf on Windows), logged here too.
  const plan = await planFromConfig(
    config,
    async () => system,
    (note) => log.warn(note),
  );
  if (plan.domains.length === 0 && plan.staticHosts.length === 0) {
    const path = flags['dns.resolv-conf'] ?? DEFAULT_RESOLV_CONF;
    throw new UsageError(
      `nothing to check: give --domain or --host (or domains/hosts in --config.file); ${path} has no search line to fall back on`,
    );
  }
  timeline?.mark('plan');
  const identity = identityFromConfig(config);
  const state = new MonitorState();
  const poller = new Poller(
    state,
    plan,
    timeline ? timeline.wrap(realProbers(() => identity)) : realProbers(() => identity),
    log,
  );
  const adba = new AdbaScheduler(
    state.adba,
    (f, o) => {
      const read = () => readForestLazily(f, { ...o, logger: log });
      return timeline ? timeline.time('adba', read) : read();
    },
    log,
  );
  await Promise.all([poller.runRound({ forceKms: true }), adba.readAllOnce(config.adba)]);
  const view = buildStatusView(state, plan.products);
  // The poller evaluated the state at the round's end (for its log of findings); the
  // evaluation of the same state is kept, and after an ADBA read that ended later only
  // the forests' part is new (evaluate-memo.ts): the estate is not evaluated twice.
  const evaluated = evaluationOf(state, plan.products);
  const { evaluation, samples } = applyCountThresholds(view, evaluated, thresholds);
  const problems = groupProblems(evaluation.problems);
  const report = { view, evaluation, problems, samples };
  timeline?.mark('evaluate');
  if (flags.json) {
    const body = {
      status: evaluation.status,
      exitCode: EXIT_CODES[evaluation.status],
      summary: summaryLine(report),
      problems,
      // What the clients of each configured domain get, as the page, the API and the
      // kms_domain_* metrics say it.
      domainStatus: Object.fromEntries(evaluation.domainStatus),
      verdicts: evaluation.verdicts,
      // Planned products per domain, and the coverage model per host (docs/coverage.md).
      readiness: evaluation.readiness,
      coverage: evaluation.coverage,
      perfdata: perfdataItems(samples),
      thresholds: {
        warning: thresholds.warning?.text ?? null,
        critical: thresholds.critical?.text ?? null,
      },
      domains: view.domains,
      hosts: view.hosts,
      adba: view.adba ?? [],
    };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    process.stdout.write(formatCheck(report));
  }
  timeline?.mark('print');
  if (timeline) process.stderr.write(timeline.text());
  return EXIT_CODES[evaluation.status];
}
