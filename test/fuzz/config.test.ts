// Fuzzing the configuration loader: random YAML-ish text, the example configuration and
// other valid files with lines deleted, duplicated, swapped, re-indented or spliced with
// hostile tokens, valid configurations with random values planted at random key paths,
// and plain random strings. What the loader may do: return a Config, or throw ConfigError
// (a message naming the key path and line). Whatever it accepts must then turn into a
// monitor plan (planFromConfig) and an identity (resolveIdentity) with nothing but
// ConfigError / IdentityError either — the path `serve` and SIGHUP reloads take.
// The web configuration (--web.config.file) goes through the same YAML front end and is
// fuzzed the same way against its own schema.
//
// FUZZ_RUNS: cases for each of the two loaders (default 2,000; 100,000 in the bench run).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { parseYamlAgainst } from '../../src/config/yaml-schema.js';
import { IdentityError, resolveIdentity } from '../../src/kms/client/identity.js';
import { planFromConfig } from '../../src/monitor/plan-from-config.js';
import { webConfigSchema } from '../../src/web/web-config.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : undefined;
const params = (share: number) => ({
  numRuns: Math.max(100, Math.round(RUNS * share)),
  ...(SEED !== undefined && { seed: SEED }),
});

const EXAMPLE = readFileSync(
  new URL('../../deploy/kms-monitor.example.yml', import.meta.url),
  'utf8',
);
const SEEDS = [
  EXAMPLE,
  '',
  'interval: 1m\ndomains: [corp.example.com]\nresolvers: ["10.0.0.53"]\n',
  [
    'timeout: 2s',
    'concurrency: 8',
    'domains:',
    '  - name: a.example.com',
    '    resolvers: ["127.0.0.1:5353", "[::1]:53"]',
    '    expected_hosts: [kms.a.example.com]',
    'hosts: ["kms.example.com:1688", "10.1.2.3"]',
    'products:',
    '  - windows-10-11',
    '  - slug: lab-x',
    '    name: Lab X',
    '    application_id: 55c92734-d682-4d71-983e-d6ec3f16059f',
    '    kms_counted_id: 1ab00000-0000-4000-a000-000000000009',
    '    sku_id: 1ab05c00-0000-4000-a000-000000000009',
    '    n_policy: 25',
    '    protocol: 6',
    'identity: { cmid: 6a1f2c3d-4b5e-4f60-8a7b-9c0d1e2f3a4b, workstation: monitor }',
    'limits: { records_per_domain: 10, hosts_total: 50 }',
    'web: { listen_address: "127.0.0.1:9688" }',
  ].join('\n'),
];
const WEB_SEEDS = [
  '',
  'basic_auth_users:\n  alice: $2y$10$abcdefghijklmnopqrstuuGYq0xD9SYFZC1oEW5Pp7dNnJmeRmAy\n',
  'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n',
];

const KEYS = [
  'interval',
  'kms_interval',
  'timeout',
  'concurrency',
  'resolvers',
  'domains',
  'name',
  'expected_hosts',
  'hosts',
  'products',
  'slug',
  'application_id',
  'kms_counted_id',
  'sku_id',
  'n_policy',
  'protocol',
  'identity',
  'cmid',
  'workstation',
  'limits',
  'records_per_domain',
  'hosts_total',
  'web',
  'listen_address',
  'tls_server_config',
  'basic_auth_users',
  'cert_file',
  'client_auth_type',
  '<<',
  '? ',
  'unknown_key',
  '"quoted key"',
  '0',
  'true',
];
/** Values that have broken YAML loaders and validators before. */
const TOKENS = [
  '30s',
  '1h30m',
  '0s',
  '-1s',
  '5 seconds',
  '9999999999999999999d',
  '1e309',
  '-0',
  '.nan',
  '.inf',
  '0x1F',
  '0o17',
  '~',
  'null',
  'yes',
  'no',
  'on',
  '[]',
  '{}',
  '[a, b',
  '{a: 1',
  '"unterminated',
  "'single'",
  '|',
  '>-',
  '&anchor x',
  '*anchor',
  '*nowhere',
  '!!binary aGVsbG8=',
  '!!str 5',
  '!!int x',
  '!!map',
  '!!js/function "f(){}"',
  '!<tag:yaml.org,2002:str> s',
  '%YAML 1.2',
  '---',
  '...',
  '# comment',
  '\t',
  '\\',
  '\u0000',
  '\u202e',
  '🔑',
  '::1',
  '[::1]:53',
  '127.0.0.1:99999',
  '256.1.1.1',
  'kms..example',
  '-',
  '- - -',
  ': :',
  'a: b: c',
  '"\\uD800"',
  '64',
  '4097',
  '1.5',
  '00000000-0000-0000-0000-000000000000',
  'x'.repeat(300),
];

const token = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TOKENS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);
const line = fc
  .tuple(
    fc.nat(6).map((n) => ' '.repeat(n)),
    fc.oneof(
      fc.tuple(fc.constantFrom(...KEYS), token).map(([k, v]) => `${k}: ${v}`),
      fc.constantFrom(...KEYS).map((k) => `${k}:`),
      token.map((v) => `- ${v}`),
      fc.tuple(fc.constantFrom(...KEYS), token).map(([k, v]) => `- ${k}: ${v}`),
      token,
    ),
  )
  .map(([indent, text]) => indent + text);
/** Text that looks like a configuration file to a YAML parser. */
const yamlish = fc.array(line, { maxLength: 30 }).map((l) => l.join('\n'));

type Edit =
  | { op: 'delete' | 'duplicate'; at: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'indent'; at: number; by: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'truncate'; at: number };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({
    op: fc.constant('indent' as const),
    at: fc.nat(),
    by: fc.integer({ min: -4, max: 4 }),
  }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: token }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function applyEdits(text: string, edits: readonly Edit[]): string {
  let lines = text.split('\n');
  for (const e of edits) {
    const i = lines.length === 0 ? 0 : e.at % lines.length;
    const l = lines[i] ?? '';
    switch (e.op) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, l);
        break;
      case 'swap': {
        const j = lines.length === 0 ? 0 : e.with % lines.length;
        [lines[i], lines[j]] = [lines[j] ?? '', l];
        break;
      }
      case 'indent':
        lines[i] =
          e.by >= 0
            ? ' '.repeat(e.by) + l
            : l.slice(Math.min(-e.by, l.length - l.trimStart().length));
        break;
      case 'insert': {
        const at = l.length === 0 ? 0 : e.at % (l.length + 1);
        lines[i] = l.slice(0, at) + e.text + l.slice(at);
        break;
      }
      case 'truncate':
        lines = lines
          .join('\n')
          .slice(0, e.at % (text.length + 1))
          .split('\n');
        break;
    }
  }
  return lines.join('\n');
}

const mutatedText = (seeds: string[]) =>
  fc
    .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 5 }))
    .map(([seed, edits]) => applyEdits(seed, edits));

/** A random value for a key path: JSON values plus what YAML adds (and JSON cannot say). */
const plantedValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 2 ** 53, 1e21, null) },
  { weight: 2, arbitrary: fc.constantFrom(...TOKENS) },
);

/** A valid configuration (as data) with a random value planted at a random key path. */
const plantedConfig = (seeds: string[]) =>
  fc
    .tuple(
      fc.constantFrom(...seeds.filter((s) => s.trim() !== '')),
      fc.array(
        fc.tuple(
          fc.array(fc.oneof(fc.nat(3), fc.constantFrom(...KEYS)), { minLength: 1, maxLength: 4 }),
          plantedValue,
        ),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
    )
    .map(([seed, plants]) => {
      const doc = parse(seed) as unknown;
      let root: unknown = doc;
      for (const [path, value] of plants) {
        if (typeof root !== 'object' || root === null) root = {};
        let node = root as Record<string | number, unknown>;
        for (const [k, step] of path.entries()) {
          const key =
            typeof step === 'number' && Array.isArray(node)
              ? step % (node.length + 1)
              : String(step);
          if (k === path.length - 1) node[key] = value;
          else {
            const next = node[key];
            if (typeof next !== 'object' || next === null) node[key] = {};
            node = node[key] as Record<string | number, unknown>;
          }
        }
      }
      return stringify(root);
    });

const anyText = (seeds: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: yamlish },
    { weight: 4, arbitrary: mutatedText(seeds) },
    { weight: 3, arbitrary: plantedConfig(seeds) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
  );

const SYSTEM = async () => ({
  nameservers: [{ address: '127.0.0.1', port: 53 }],
  search: ['corp.example.com'],
});

function onlyTyped(error: unknown, ...allowed: Array<new (...args: never[]) => Error>): void {
  if (allowed.some((type) => error instanceof type)) {
    assert.ok((error as Error).message.length > 0);
    return;
  }
  throw error;
}

/**
 * The yaml library reports some inputs (a mapping used as a key) with process.emitWarning,
 * which would print to stderr past the logger; the loader silences them (logLevel 'error')
 * and the property below checks that none got through.
 */
let yamlWarnings = 0;
const emitWarning = process.emitWarning;
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (String(warning).includes('stringified')) yamlWarnings++;
  else (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
}) as typeof process.emitWarning;

describe(`fuzz: configuration loaders (${RUNS} cases each)`, () => {
  it('kms-monitor configuration: only ConfigError, and what loads also plans', async (t) => {
    let loaded = 0;
    await fc.assert(
      fc.asyncProperty(anyText(SEEDS), async (text) => {
        let config;
        try {
          config = parseConfig(text, 'fuzz.yml');
        } catch (error) {
          onlyTyped(error, ConfigError);
          return;
        }
        loaded++;
        try {
          await planFromConfig(config, SYSTEM);
        } catch (error) {
          onlyTyped(error, ConfigError);
        }
        try {
          resolveIdentity({
            ...(config.identity.cmid ? { cmid: config.identity.cmid } : {}),
            ...(config.identity.workstation ? { workstation: config.identity.workstation } : {}),
          });
        } catch (error) {
          onlyTyped(error, IdentityError, ConfigError);
        }
      }),
      params(1),
    );
    assert.ok(loaded > 0, 'no case loaded: the generators never reach the schema');
    assert.equal(yamlWarnings, 0, 'the yaml library printed warnings past the logger');
    t.diagnostic(`${loaded} cases loaded`);
  });

  it('web configuration (--web.config.file): only ConfigError', () => {
    fc.assert(
      fc.property(anyText(WEB_SEEDS), (text) => {
        try {
          parseYamlAgainst(webConfigSchema, text, 'web.yml');
        } catch (error) {
          onlyTyped(error, ConfigError);
        }
      }),
      params(0.1),
    );
  });

  it('a resolver the schema accepts is one the plan accepts (an unbracketed IPv6 with a port is refused up front)', () => {
    assert.throws(
      () => parseConfig('resolvers: ["12::17.0.0.1:53"]\ndomains: [a.example]\n'),
      (err: unknown) => err instanceof ConfigError && err.keyPath === 'resolvers[0]',
    );
  });

  it('alias expansion and nesting are bounded (billion laughs, deep nesting)', () => {
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      laughs.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    for (const text of [
      laughs.join('\n'),
      `domains: ${'['.repeat(5000)}${']'.repeat(5000)}`,
      `domains:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}- `).join('\n')}x`,
    ]) {
      assert.throws(() => parseConfig(text, 'bomb.yml'), ConfigError);
    }
  });
});
