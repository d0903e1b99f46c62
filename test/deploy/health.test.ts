/**
 * Health checks with basic auth on, against a real `kms-monitor serve` (the built
 * dist/cli.js) on 127.0.0.1 with a web configuration that has a bcrypt user:
 *
 * - with the arguments the image and the Deployment ship (which carry
 *   --web.unauthenticated-health), the Dockerfile's HEALTHCHECK command itself passes and
 *   the Deployment's probes pass the way the kubelet runs them, while /metrics and the
 *   status page still answer 401 without the password;
 * - without the flag the same checks fail (401), and the two probes with credentials that
 *   docs/deployment.md shows (httpGet with a header, exec with the header from a Secret)
 *   pass, and fail with a wrong password.
 *
 * The checks are read from the files, not copied: the HEALTHCHECK's exec-form command is
 * run with this machine's node, the probes' paths, ports and headers come from
 * deployment.yaml and the Markdown. Only the port changes (9688 → the server's free port).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import YAML from 'yaml';
import { freePort } from '../../src/lab/index.js';
import { startServer, type RunningServer } from '../helpers/cli.js';
import { defaultArgs, healthCheck } from './dockerfile.js';
import { readText, readYamlDocuments } from './helpers.js';
import { waitFor } from './prometheus-server.js';

const FLAG = '--web.unauthenticated-health';
const SHIPPED_PORT = 9688;
const USER = 'probe';
const PASSWORD = 'secret';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface HttpGet {
  path: string;
  port: string | number;
  scheme?: string;
  httpHeaders?: Array<{ name: string; value: string }>;
}
interface Probe {
  httpGet?: HttpGet;
  exec?: { command: string[] };
  timeoutSeconds?: number;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  args: string[];
  ports: Array<{ name: string; containerPort: number }>;
  env?: EnvVar[];
  livenessProbe: Probe;
  readinessProbe: Probe;
}

function container(): Container {
  const deployment = readYamlDocuments('deploy/kubernetes/deployment.yaml')[0] as {
    spec: { template: { spec: { containers: Container[] } } };
  };
  return deployment.spec.template.spec.containers[0]!;
}

/** Points a command or URL written for port 9688 at the test server's port. */
function retarget(text: string, port: number): string {
  assert.ok(text.includes(`127.0.0.1:${SHIPPED_PORT}`), `${text} names 127.0.0.1:9688`);
  return text.replaceAll(`127.0.0.1:${SHIPPED_PORT}`, `127.0.0.1:${port}`);
}

/** Runs a command as Docker or the kubelet would (`node` is this machine's node); exit code. */
function run(argv: string[], env: Record<string, string>, timeoutMs: number): Promise<number> {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command === 'node' ? process.execPath : command!, args, {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

/** The Dockerfile's HEALTHCHECK against `port`: true when it exits 0 (healthy). */
async function dockerHealthCheck(port: number): Promise<boolean> {
  const { argv, timeoutMs } = healthCheck(readText('deploy/docker/Dockerfile'));
  return (
    (await run(
      argv.map((a) => (a.includes('127.0.0.1:') ? retarget(a, port) : a)),
      {},
      timeoutMs,
    )) === 0
  );
}

/**
 * One probe the way the kubelet runs it: httpGet succeeds on a status from 200 to 399 with
 * the probe's headers and no others; exec on exit code 0, with the container's
 * environment (Secrets resolved from `secrets`).
 */
async function kubeletProbe(
  probe: Probe,
  port: number,
  c: Pick<Container, 'ports' | 'env'>,
  secrets: Record<string, string> = {},
): Promise<boolean> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    const g = probe.httpGet;
    const declared =
      typeof g.port === 'number' ? g.port : c.ports.find((p) => p.name === g.port)?.containerPort;
    assert.equal(declared, SHIPPED_PORT, `probe port ${g.port} is the container's 9688`);
    assert.equal((g.scheme ?? 'HTTP').toUpperCase(), 'HTTP');
    const headers = Object.fromEntries((g.httpHeaders ?? []).map((h) => [h.name, h.value]));
    try {
      const response = await fetch(`http://127.0.0.1:${port}${g.path}`, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer();
      return response.status >= 200 && response.status < 400;
    } catch {
      return false;
    }
  }
  assert.ok(probe.exec, 'an httpGet or exec probe');
  const env: Record<string, string> = {};
  for (const v of c.env ?? []) {
    const ref = v.valueFrom?.secretKeyRef;
    const value = ref ? secrets[`${ref.name}/${ref.key}`] : v.value;
    assert.ok(value !== undefined, `env ${v.name} resolves`);
    env[v.name] = value;
  }
  const argv = probe.exec.command.map((a) => (a.includes('127.0.0.1:') ? retarget(a, port) : a));
  return (await run(argv, env, Math.max(timeoutMs, 5000))) === 0;
}

/** The YAML blocks of docs/deployment.md that start with `# kms-monitor probe: <what>`. */
function documentedProbes(): Array<{ what: string; snippet: Partial<Container> }> {
  const blocks = [...readText('docs/deployment.md').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) =>
    m[1]!.replace(/^ {3}/gm, ''),
  );
  return blocks.flatMap((b) => {
    const what = /^# kms-monitor probe: (.+)$/m.exec(b)?.[1];
    return what === undefined ? [] : [{ what, snippet: YAML.parse(b) as Partial<Container> }];
  });
}

describe('health checks with basic auth on', { timeout: 120_000 }, () => {
  let dir = '';
  let webConfig = '';
  let config = '';
  const servers: RunningServer[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kms-health-'));
    webConfig = join(dir, 'web.yml');
    // Cost 4: the real check, at a tenth of the time of the usual 10.
    await writeFile(
      webConfig,
      YAML.stringify({ basic_auth_users: { [USER]: bcrypt.hashSync(PASSWORD, 4) } }),
    );
    // One static host on a closed loopback port: the first round ends at once, so
    // /-/ready turns 200 quickly, and nothing leaves 127.0.0.1.
    config = join(dir, 'kms-monitor.yml');
    await writeFile(
      config,
      YAML.stringify({
        interval: '1s',
        timeout: '1s',
        hosts: [`127.0.0.1:${await freePort()}`],
      }),
    );
  });

  after(async () => {
    for (const s of servers) await s.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** `serve` with the shipped arguments (the config path made local) and basic auth. */
  async function serve(shipped: string[]): Promise<{ server: RunningServer; port: number }> {
    const args = shipped.map((a) =>
      a.startsWith('--config.file=') ? `--config.file=${config}` : a,
    );
    assert.ok(args.includes(`--config.file=${config}`), 'the shipped arguments name a config file');
    const server = await startServer('serve', [...args, `--web.config.file=${webConfig}`]);
    servers.push(server);
    return { server, port: Number(new URL(server.url).port) };
  }

  const status = async (port: number, path: string, authorization?: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      headers: authorization ? { authorization } : {},
    });
    await response.arrayBuffer();
    return response.status;
  };

  test("the image's default arguments carry the flag, and its HEALTHCHECK passes", async () => {
    const args = defaultArgs(readText('deploy/docker/Dockerfile'));
    const { port } = await serve(args);
    assert.equal(await dockerHealthCheck(port), true, 'the HEALTHCHECK command exits 0');
    assert.ok(args.includes(FLAG), `CMD ${JSON.stringify(args)} includes ${FLAG}`);
    // Everything else still wants the password.
    assert.equal(await status(port, '/metrics'), 401);
    assert.equal(await status(port, '/'), 401);
    assert.equal(await status(port, '/api/v1/status'), 401);
    assert.equal(await status(port, '/metrics', basic(USER, PASSWORD)), 200);
  });

  test("the Deployment's liveness and readiness probes pass as the kubelet runs them", async () => {
    const c = container();
    assert.equal(c.livenessProbe.httpGet?.path, '/-/healthy');
    assert.equal(c.readinessProbe.httpGet?.path, '/-/ready');
    const { port } = await serve(c.args);
    assert.equal(await kubeletProbe(c.livenessProbe, port, c), true, 'liveness');
    assert.ok(c.args.includes(FLAG), `args ${JSON.stringify(c.args)} include ${FLAG}`);
    await waitFor(
      'the readiness probe to pass (first round finished)',
      async () => ((await kubeletProbe(c.readinessProbe, port, c)) ? true : undefined),
      30_000,
    );
    assert.equal(await status(port, '/metrics'), 401);
  });

  test('without the flag the same checks fail; the documented probes with credentials pass', async () => {
    const c = container();
    const { port } = await serve(c.args.filter((a) => a !== FLAG));
    assert.equal(await status(port, '/-/healthy'), 401, 'basic auth covers /-/healthy');
    assert.equal(await dockerHealthCheck(port), false, 'the HEALTHCHECK fails (401)');
    assert.equal(await kubeletProbe(c.livenessProbe, port, c), false, 'the liveness probe fails');

    const documented = documentedProbes();
    assert.deepEqual(
      documented.map((d) => d.what),
      [
        'httpGet with a literal Authorization header',
        'exec with the Authorization header from a Secret',
      ],
    );
    for (const { what, snippet } of documented) {
      const probe = snippet.livenessProbe;
      assert.ok(probe, `${what}: a livenessProbe`);
      const env = { ports: c.ports, env: snippet.env ?? [] };
      const secrets = { 'kms-monitor-probe/authorization': basic(USER, PASSWORD) };
      assert.equal(await kubeletProbe(probe, port, env, secrets), true, what);
      // The credentials are really checked: a wrong password fails the same probe.
      const wrong = { 'kms-monitor-probe/authorization': basic(USER, 'wrong') };
      const wrongProbe: Probe = probe.httpGet
        ? {
            ...probe,
            httpGet: {
              ...probe.httpGet,
              httpHeaders: [{ name: 'Authorization', value: basic(USER, 'wrong') }],
            },
          }
        : probe;
      assert.equal(
        await kubeletProbe(wrongProbe, port, env, wrong),
        false,
        `${what}, wrong password`,
      );
    }
    // The literal header of the httpGet snippet is the documented probe:secret.
    const literal = documented[0]!.snippet.livenessProbe!.httpGet!.httpHeaders![0]!;
    assert.deepEqual(literal, { name: 'Authorization', value: basic(USER, PASSWORD) });
  });
});
