/**
 * `kms-monitor coverage [--config.file F | HOST…] [--json]`: one round over the targets
 * (as `check` runs it), then the coverage matrix of every host over every known product
 * group (docs/coverage.md): what it activates, what it refuses and why, with the shortest
 * fix, and what the model predicts for the groups not probed. `--compare OLD NEW` probes
 * two hosts and says what each covers that the other does not (a migration).
 */
import type { Command } from '../cli/command.js';
import { ExitCode } from '../cli/command.js';
import { parseFlags, UsageError } from '../cli/parse.js';
import { TARGET_USAGE, loadTargets, targetOptions } from '../cli/common-flags.js';
import { oneShotCommand, processIo, type CommandIo } from '../cli/one-shot-command.js';
import type { KmsIdentity } from '../kms/client/index.js';
import { createLogger } from '../log/logger.js';
import { evaluate } from '../monitor/evaluate.js';
import { identityFromConfig } from '../monitor/identity-from-config.js';
import { planFromConfig } from '../monitor/plan-from-config.js';
import type { MonitorPlan } from '../monitor/plan.js';
import type { Product } from '../kms/products/index.js';
import { Poller } from '../monitor/poller.js';
import { realProbers } from '../monitor/probers.js';
import { MonitorState } from '../monitor/state.js';
import { buildStatusView } from '../monitor/status-view.js';
import { compareHosts, hostMatrix, type HostMatrix } from './coverage-matrix.js';
import { formatComparison, formatMatrix } from './coverage-format.js';
import { targetKey } from '../monitor/targets.js';
import { parseHostPort } from '../config/address.js';
import { KMS_PORT } from '../config/schema.js';

const options = {
  ...targetOptions,
  compare: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const USAGE = `Usage: kms-monitor coverage [HOST[:PORT]...] [flags]
       kms-monitor coverage --compare OLD[:PORT] NEW[:PORT] [flags]

Runs one round over the hosts given (or the configured domains and hosts: every host
their SRV records publish), asking each host for the products (the default set, the
file's, or --product), and prints the coverage matrix: for every known product group,
activates / REFUSED (probed, with the reason and the shortest fix) or what the coverage
model predicts from the host keys the answers revealed (docs/coverage.md). A custom
product counts for the built-in group its group: names. Each probe is a real activation
request; a refused one adds no client to the host's count.

Flags:
${TARGET_USAGE}
  --compare                 probe exactly two hosts, OLD and NEW, and say what each
                            covers that the other does not (a migration)
  --json                    print {hosts, readiness} (with --compare also comparison)
  -h, --help                show this help

Exit status: 0 when every host answered (with --compare: when NEW covers everything OLD
covers), 1 otherwise, 2 for usage errors.`;

interface Plan {
  monitor: MonitorPlan<Product>;
  /** The configured client identity: the CMID serve and check present, so the host counts it once. */
  identity: KmsIdentity;
  /** The hosts to show, in the order given (host mode); null: every host of the round. */
  order: string[] | null;
  compare: boolean;
  json: boolean;
}

async function plan(argv: string[]): Promise<Plan | 'help'> {
  const { values, positionals } = parseFlags(argv, options, { positionals: true });
  if (values.help) return 'help';
  const compare = values.compare ?? false;
  if (compare && positionals.length !== 2) {
    throw new UsageError(`--compare takes two hosts, OLD and NEW; got ${positionals.length}`);
  }
  const hostMode = positionals.length > 0;
  for (const text of positionals) {
    try {
      parseHostPort(text, KMS_PORT);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const flags = hostMode ? { ...values, host: [...positionals, ...(values.host ?? [])] } : values;
  const { config, system } = await loadTargets(flags);
  const monitor = await planFromConfig(config, async () => system);
  // Hosts on the command line are the estate: no domain of the file or the search list.
  if (hostMode && values.domain === undefined) monitor.domains = [];
  if (monitor.domains.length === 0 && monitor.staticHosts.length === 0) {
    throw new UsageError('nothing to show: give HOST arguments, --host, --domain or --config.file');
  }
  const order = hostMode
    ? positionals.map((p) => {
        const { host, port } = parseHostPort(p, KMS_PORT);
        return targetKey(host, port);
      })
    : null;
  return {
    monitor,
    identity: identityFromConfig(config),
    order,
    compare,
    json: values.json ?? false,
  };
}

async function run(settings: Plan, io: CommandIo): Promise<number> {
  const state = new MonitorState();
  const log = createLogger({ level: 'error', format: 'logfmt' });
  const poller = new Poller(
    state,
    settings.monitor,
    realProbers(() => settings.identity),
    log,
  );
  await poller.runRound({ forceKms: true });
  const view = buildStatusView(state, settings.monitor.products, { historyLimit: 0 });
  const byKey = new Map(view.hosts.map((h) => [`${h.host}:${h.port}`, h]));
  const shown =
    settings.order === null ? view.hosts : settings.order.flatMap((k) => byKey.get(k) ?? []);
  const hosts: HostMatrix[] = shown.map((h) => hostMatrix(h, view.products));
  const readiness = evaluate(view).readiness;
  const comparison =
    settings.compare && hosts[0] && hosts[1] ? compareHosts(hosts[0], hosts[1]) : null;
  if (settings.json) {
    const body = { hosts, readiness, ...(comparison ? { comparison } : {}) };
    io.stdout(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    io.stdout(formatMatrix(hosts) + (comparison ? formatComparison(comparison) : ''));
  }
  if (comparison) return comparison.lost.length === 0 ? ExitCode.ok : ExitCode.failure;
  return hosts.every((h) => h.reachable && h.hostOs !== null) ? ExitCode.ok : ExitCode.failure;
}

export function makeCoverageCommand(io: CommandIo = processIo): Command {
  return oneShotCommand(
    {
      name: 'coverage',
      summary: 'what each host can activate, why not, and the fix (the coverage matrix)',
      options,
      usage: USAGE,
    },
    io,
    plan,
    (settings) => run(settings, io),
  );
}

export const coverageCommand: Command = makeCoverageCommand();
