/**
 * `kms-monitor demo`: starts the built-in lab (two lab DNS servers and lab KMS hosts, all
 * on loopback, see src/lab/demo-lab.ts) and runs the monitor against it, so a new user
 * sees every feature — metrics, status page, API, each failure — with nothing else
 * installed. The lab answers only its own made-up products: nothing real is activated.
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from '../cli/command.js';
import { ExitCode } from '../cli/command.js';
import { LOG_USAGE, logOptions, logSettings } from '../cli/common-flags.js';
import { commandPrefix } from '../cli/invocation.js';
import { UsageError, parseFlags } from '../cli/parse.js';
import { parseHostPort } from '../config/address.js';
import { DEMO_DRIFT_EVERY_MS, DEMO_LISTEN_ADDRESS, startDemoLab } from '../lab/index.js';
import { DEMO_PRODUCTS } from '../lab/index.js';
import type { DemoLab } from '../lab/index.js';
import { createLogger } from '../log/logger.js';
import { parseConfig } from '../config/load.js';
import { demoAdbaBanner, demoAdbaYaml, startDemoAdba } from '../lab/adba/demo-adba.js';
import { NO_WEB_CONFIG } from '../web/web-config.js';
import { runUntilSignalled } from './serve.js';

const options = {
  ...logOptions,
  'web.listen-address': { type: 'string' },
  'write-config': { type: 'string' },
} as const;

/** The base URL a browser on this machine can open for a listen address. */
export function demoBaseUrl(listenAddress: string): string {
  const { host, port } = parseHostPort(listenAddress, 9688, { allowEmptyHost: true });
  const wildcard = host === '' || host === '0.0.0.0' || host === '::';
  const shown = wildcard ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/**
 * The banner: what runs where, what each domain shows, where to look, and commands to
 * try, spelled as they run where the user is (`npx kms-monitor` in a clone).
 */
export function demoBanner(
  lab: DemoLab,
  listenAddress: string,
  configFile?: string,
  command: string = commandPrefix(),
): string {
  const base = demoBaseUrl(listenAddress);
  const resolvers = `--resolver ${lab.resolvers.a.resolver} --resolver ${lab.resolvers.b.resolver}`;
  const products = DEMO_PRODUCTS.map((p) => `--product ${p}`).join(' ');
  const width = Math.max(...lab.scenarios.map((s) => s.domain.length));
  const scenarios = lab.scenarios.map(
    (s) => `  ${s.domain.padEnd(width)}  ${s.expectedStatus.toUpperCase().padEnd(8)}  ${s.shows}`,
  );
  const hosts = Object.values(lab.hosts).length;
  const lines = [
    'kms-monitor demo: a lab KMS estate on loopback (lab products only; nothing real is activated)',
    '',
    `Lab DNS: resolver A ${lab.resolvers.a.resolver}, resolver B ${lab.resolvers.b.resolver}; ` +
      `${hosts} published KMS hosts on ${lab.resolvers.a.address}.`,
    '',
    'Scenarios (domain, expected check status, what it shows):',
    ...scenarios,
    '',
    'Open:',
    `  ${base}/                 status page`,
    `  ${base}/api/v1/status    the whole state as JSON`,
    `  ${base}/metrics          Prometheus metrics (kms_*)`,
    '',
    'Try (while the demo runs):',
    `  ${command} discover split.kms-lab.test ${resolvers}`,
    `  ${command} check --domain lowcount.kms-lab.test ${resolvers} ${products} --warning 5:`,
    ...(configFile ? [`  ${command} check --config.file ${configFile}`] : []),
    '',
    `Counts drift every ${DEMO_DRIFT_EVERY_MS / 1000} s so graphs move. Ctrl-C stops the demo and the lab.`,
    '',
  ];
  return lines.join('\n');
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'start the built-in lab and watch it: every feature, nothing else installed',
  usage: `Usage: kms-monitor demo [flags]

Starts a lab on loopback — two DNS servers publishing _vlmcs._tcp records for seven
*.kms-lab.test domains, and lab KMS hosts that answer only made-up lab products —
then runs the monitor against it and serves /metrics, /api/v1/status and the status
page. Each domain shows one situation: healthy, count below threshold, a host without
the Office key, a stale record, a single host, no record at all, resolvers that disagree.

Flags:
  --web.listen-address=ADDR [host]:port to listen on (default ${DEMO_LISTEN_ADDRESS})
  --write-config=FILE       also write the lab's monitor configuration to FILE, for
                            'kms-monitor check --config.file FILE' while the demo runs
${LOG_USAGE}
  -h, --help                show this help`,

  options,
  async run(argv) {
    const { values: flags } = parseFlags(argv, options);
    const log = createLogger(logSettings(flags));
    const listenAddress = flags['web.listen-address'] ?? DEMO_LISTEN_ADDRESS;
    try {
      parseHostPort(listenAddress, 9688, { allowEmptyHost: true });
    } catch (err) {
      throw new UsageError(`--web.listen-address ${(err as Error).message}`);
    }

    let lab: DemoLab;
    try {
      lab = await startDemoLab({ listenAddress, driftEveryMs: DEMO_DRIFT_EVERY_MS });
    } catch (err) {
      process.stderr.write(`kms-monitor demo: the lab did not start: ${(err as Error).message}\n`);
      return ExitCode.failure;
    }
    // The ADBA forest, on a lab slapd when one is installed (docs/adba.md).
    const adba = await startDemoAdba();
    const closeAll = async () => {
      await lab.close();
      if (adba.enabled) await adba.close();
    };
    const configYaml = adba.enabled ? lab.configYaml + demoAdbaYaml(adba.forest) : lab.configYaml;
    const config = adba.enabled ? parseConfig(configYaml, '<demo lab>') : lab.config;
    const configFile = flags['write-config'];
    if (configFile) {
      try {
        await writeFile(configFile, configYaml);
      } catch (err) {
        await closeAll();
        process.stderr.write(`kms-monitor demo: ${(err as Error).message}\n`);
        return ExitCode.usage;
      }
    }
    process.stdout.write(demoBanner(lab, listenAddress, configFile) + demoAdbaBanner(adba));
    log.debug({ config: configYaml }, 'demo lab configuration');

    return runUntilSignalled(
      log,
      {
        log,
        readConfig: async () => config,
        webConfig: NO_WEB_CONFIG,
        listenAddress,
        // The lab configures every resolver and domain itself: the system's stay out of it.
        readSystem: async () => ({ nameservers: [], search: [] }),
      },
      closeAll,
    );
  },
};
