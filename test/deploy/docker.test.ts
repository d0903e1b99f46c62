/**
 * deploy/docker/: Docker cannot run on the CI machines, so what can be checked without it
 * is: the Dockerfile's stages and runtime settings (multi-stage, npm ci, non-root user,
 * port, health check, entrypoint), that everything it copies exists and passes the
 * .dockerignore, and that the compose file parses and its mounts line up: every host
 * path exists, Prometheus's configuration is accepted by promtool in the layout the
 * mounts create, Grafana's provisioning points at the mounted dashboard, and the
 * monitor's configuration loads.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { defaultArgs, instructions, stages, type Instruction } from './dockerfile.js';
import { REPO, readText, readYaml, repoPath, runTool } from './helpers.js';

/** A minimal .dockerignore matcher for the allow-list style used here (`**`, then `!path`). */
function ignored(patterns: string[], path: string): boolean {
  let result = false;
  for (const p of patterns) {
    const negate = p.startsWith('!');
    const body = negate ? p.slice(1) : p;
    const regex = new RegExp(
      `^${body
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .split('**')
        .map((part) => part.replace(/\*/g, '[^/]*'))
        .join('.*')}$`,
    );
    if (regex.test(path)) result = !negate;
  }
  return result;
}

describe('Dockerfile', () => {
  const text = readText('deploy/docker/Dockerfile');
  const all = instructions(text);
  const byStage = stages(all);
  const runtime = byStage.at(-1)!;
  const args = new Map(
    all.filter((i) => i.op === 'ARG').map((i) => i.args.split('=') as [string, string]),
  );
  const base = (from: Instruction) =>
    from.args.split(/\s+/)[0]!.replace(/\$\{(\w+)\}/, (_, n: string) => args.get(n) ?? '');

  test('builds in stages: npm ci and npm run build, then production dependencies only', () => {
    assert.ok(byStage.length >= 2, 'multi-stage');
    const runs = (stage: Instruction[]) => stage.filter((i) => i.op === 'RUN').map((i) => i.args);
    const build = byStage.find((s) => runs(s).some((r) => /npm run build/.test(r)));
    assert.ok(build, 'a stage runs npm run build');
    assert.ok(
      runs(build).some((r) => /^npm ci\b/.test(r)),
      'the build stage installs with npm ci',
    );
    assert.ok(
      byStage.some((s) => runs(s).some((r) => /npm ci\b.*--omit=dev/.test(r))),
      'production dependencies with npm ci --omit=dev',
    );
    assert.ok(
      !runs(runtime).some((r) => /npm (ci|install)(?!.*--omit=dev)/.test(r)),
      'no dev dependencies in the runtime stage',
    );
    for (const stage of byStage) assert.match(base(stage[0]!), /^node:22[\w.-]*-slim$/);
  });

  test('the runtime stage runs as a non-root user, exposes 9688 and checks /-/healthy', () => {
    const op = (name: string) => runtime.filter((i) => i.op === name);
    const user = op('USER').at(-1)?.args;
    assert.ok(user && !/^(root|0)(:|$)/.test(user), `USER ${user}`);
    assert.deepEqual(
      op('EXPOSE').map((i) => i.args),
      ['9688'],
    );
    const health = op('HEALTHCHECK');
    assert.equal(health.length, 1);
    assert.match(health[0]!.args, /CMD .*\/-\/healthy/);
    const entrypoint = JSON.parse(op('ENTRYPOINT')[0]!.args) as string[];
    assert.deepEqual(entrypoint.slice(-2), ['/app/dist/cli.js', 'serve']);
    const cmd = JSON.parse(op('CMD')[0]!.args) as string[];
    assert.ok(cmd.some((a) => a.startsWith('--config.file=')));
  });

  test('everything copied from the build context exists and passes the .dockerignore', () => {
    const ignore = readText('deploy/docker/Dockerfile.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const copies = all.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'));
    assert.ok(copies.length > 0);
    for (const copy of copies) {
      const parts = copy.args.split(/\s+/);
      for (const source of parts.slice(0, -1)) {
        assert.ok(existsSync(repoPath(source)), `${source} exists`);
        const probe = statSync(repoPath(source)).isDirectory() ? `${source}/cli.ts` : source;
        assert.ok(!ignored(ignore, probe), `${probe} is sent to the builder`);
      }
    }
    assert.ok(ignored(ignore, 'node_modules/x/index.js'));
    assert.ok(ignored(ignore, 'dist/cli.js'));
  });
});

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  hostname?: string;
  command?: string[];
  volumes?: string[];
  ports?: string[];
  privileged?: boolean;
  read_only?: boolean;
  user?: string;
}
interface Compose {
  services: Record<string, ComposeService>;
}

describe('compose.yml', () => {
  const composeDir = repoPath('deploy/docker');
  const compose = readYaml<Compose>('deploy/docker/compose.yml');
  const service = (name: string) => {
    const s = compose.services[name];
    assert.ok(s, `service ${name}`);
    return s;
  };
  /** Bind mounts: [host path (absolute), container path]. */
  const binds = (name: string) =>
    (service(name).volumes ?? [])
      .map((v) => v.split(':'))
      .filter(([host]) => host!.startsWith('.') || host!.startsWith('/'))
      .map(([host, container]) => [resolve(composeDir, host!), container!] as const);

  test('runs kms-monitor, Prometheus and Grafana; images pinned, nothing privileged', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), [
      'grafana',
      'kms-monitor',
      'prometheus',
    ]);
    for (const [name, s] of Object.entries(compose.services)) {
      assert.notEqual(s.privileged, true, name);
      if (s.image && !s.build) assert.match(s.image, /:v?\d+\.\d+\.\d+$/, `${name} image pinned`);
    }
  });

  test('builds kms-monitor from the Dockerfile, read-only, with a fixed host name (stable CMID)', () => {
    const monitor = service('kms-monitor');
    assert.ok(monitor.build);
    const context = resolve(composeDir, monitor.build.context);
    assert.equal(context, resolve(REPO));
    assert.ok(existsSync(join(context, monitor.build.dockerfile)));
    assert.equal(monitor.read_only, true);
    assert.ok(monitor.hostname, 'hostname: fixes the CMID derived from it');
    // `command:` would replace the image's arguments: the health check needs the flag.
    assert.ok(
      (monitor.command ?? defaultArgs(readText('deploy/docker/Dockerfile'))).includes(
        '--web.unauthenticated-health',
      ),
      'the monitor runs with --web.unauthenticated-health (health check with basic auth)',
    );
  });

  test('every bind-mounted host path exists', () => {
    for (const name of Object.keys(compose.services)) {
      for (const [host] of binds(name))
        assert.ok(existsSync(host), `${name}: ${relative(REPO, host)}`);
    }
  });

  test('the monitor configuration mounted in the container loads', () => {
    const mount = binds('kms-monitor').find(([, c]) => c === '/etc/kms-monitor/kms-monitor.yml');
    assert.ok(mount, 'the configuration is mounted where the image looks for it');
    const config = parseConfig(readText(relative(REPO, mount[0])), 'kms-monitor.yml');
    assert.ok(config.identity.workstation);
  });

  test('the monitor configuration names its DNS servers: resolv.conf would name only 127.0.0.11', () => {
    // On a compose network the container's resolv.conf points at Docker's embedded DNS
    // server, which forwards to the host's resolvers: left to it, the monitor could neither
    // check each DNS server nor see them disagree.
    const mount = binds('kms-monitor').find(([, c]) => c === '/etc/kms-monitor/kms-monitor.yml');
    assert.ok(mount);
    const config = parseConfig(readText(relative(REPO, mount[0])), 'kms-monitor.yml');
    assert.ok(config.domains.length > 0, 'domains are listed');
    assert.ok(config.resolvers.length > 0, 'resolvers are listed');
    for (const r of [...config.resolvers, ...config.domains.flatMap((d) => d.resolvers ?? [])]) {
      assert.doesNotMatch(r.address, /^127\./, `${r.address} is not a loopback resolver`);
    }
  });

  test("promtool accepts Prometheus's configuration in the layout the mounts create", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kms-compose-'));
    try {
      for (const [host, container] of binds('prometheus')) {
        const target = join(dir, container);
        await mkdir(dirname(target), { recursive: true });
        await copyFile(host, target);
      }
      const r = await runTool('promtool', [
        'check',
        'config',
        join(dir, 'etc/prometheus/prometheus.yml'),
      ]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /SUCCESS: 2 rule files found/);
      const config = readYaml<{
        scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
      }>('deploy/docker/prometheus.yml');
      const job = config.scrape_configs.find((s) => s.job_name === 'kms-monitor');
      assert.ok(job, 'the job the monitor alerts match');
      assert.deepEqual(job.static_configs[0]!.targets, ['kms-monitor:9688']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('Grafana gets the datasource (the prometheus service) and the dashboard provisioned', () => {
    const mounts = binds('grafana');
    const containerOf = (host: string) => mounts.find(([h]) => h === repoPath(host))?.[1];
    assert.equal(
      containerOf('deploy/grafana/provisioning/datasources'),
      '/etc/grafana/provisioning/datasources',
    );
    assert.equal(
      containerOf('deploy/grafana/provisioning/dashboards'),
      '/etc/grafana/provisioning/dashboards',
    );
    const provider = readYaml<{ providers: Array<{ options: { path: string } }> }>(
      'deploy/grafana/provisioning/dashboards/kms-monitor.yml',
    );
    const dashboard = containerOf('dashboards/kms-monitor.json');
    assert.equal(dashboard, `${provider.providers[0]!.options.path}/kms-monitor.json`);
    const ds = readYaml<{ datasources: Array<{ url: string }> }>(
      'deploy/grafana/provisioning/datasources/prometheus.yml',
    );
    assert.equal(new URL(ds.datasources[0]!.url).host, 'prometheus:9090');
  });
});
