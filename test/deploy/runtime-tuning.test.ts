/**
 * The container image starts serve with the same environment and Node.js flags as the
 * systemd unit (the glibc arena limit that docs/deployment.md, "Sizing: memory", counts
 * on), the Kubernetes Deployment keeps the image's entry point and environment, and the
 * estate memory bench reads the settings from the unit (bench/lib/deployed-runtime.ts),
 * so the memory it reports is the memory of the monitor as shipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { deployedRuntime } from '../../bench/lib/deployed-runtime.js';
import { CHUNK_BYTES } from '../../src/metrics/byte-sink.js';
import { runtimeOps } from './dockerfile.js';
import { readText } from './helpers.js';

const unit = deployedRuntime(readText('deploy/systemd/kms-monitor.service'));
const dockerfile = readText('deploy/docker/Dockerfile');

/** The runtime stage's ENV assignments (`ENV A=1 B=2` and one per line alike). */
function imageEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of runtimeOps(dockerfile, 'ENV')) {
    for (const word of args.split(/\s+/)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/.exec(word);
      assert.ok(m, `ENV ${args}: NAME=VALUE words`);
      env[m[1]!] = m[2]!;
    }
  }
  return env;
}

test('the unit limits glibc to two malloc arenas', () => {
  assert.equal(unit.env['MALLOC_ARENA_MAX'], '2');
});

test("the unit fixes glibc's mmap threshold, so freed large buffers leave the RSS", () => {
  const threshold = Number(unit.env['MALLOC_MMAP_THRESHOLD_']);
  // At most the /metrics chunk size: those chunks are what the pool gives back between rounds.
  assert.ok(threshold > 0 && threshold <= CHUNK_BYTES, `MALLOC_MMAP_THRESHOLD_=${threshold}`);
});

test('the image sets every variable of the unit to the same value', () => {
  const env = imageEnv();
  for (const [name, value] of Object.entries(unit.env)) {
    assert.equal(env[name], value, `ENV ${name} in deploy/docker/Dockerfile`);
  }
});

test("the image's entry point gives node the unit's flags", () => {
  const [entry] = runtimeOps(dockerfile, 'ENTRYPOINT');
  assert.ok(entry, 'an ENTRYPOINT in the runtime stage');
  const argv = JSON.parse(entry.args) as string[];
  const script = argv.findIndex((a) => a.endsWith('/dist/cli.js'));
  assert.equal(argv[0], 'node');
  assert.deepEqual(argv.slice(1, script), unit.nodeFlags);
  assert.equal(argv[script + 1], 'serve');
});

test('the Kubernetes Deployment keeps the entry point and the environment of the image', () => {
  const deployment = YAML.parse(readText('deploy/kubernetes/deployment.yaml')) as {
    spec: { template: { spec: { containers: Array<Record<string, unknown>> } } };
  };
  for (const container of deployment.spec.template.spec.containers) {
    assert.equal(container['command'], undefined, 'no command: the image ENTRYPOINT runs');
    const env = (container['env'] ?? []) as Array<{ name: string }>;
    for (const name of Object.keys(unit.env)) {
      assert.ok(!env.some((e) => e.name === name), `env ${name} not overridden`);
    }
  }
});
