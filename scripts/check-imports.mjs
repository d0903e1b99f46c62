#!/usr/bin/env node
// The import rules of docs/design.md ("Layers"), checked on every `npm run lint`:
// 1. a folder of src/ imports only the folders its layer may know: the protocol layers
//    (dns/, kms/) and util/ know nothing of the monitor, metrics, HTTP or the lab;
// 2. another folder is used through its index.ts when it has one, so a folder's inside can
//    change without its users.
// Usage: node scripts/check-imports.mjs [SRC_DIR]   (default: src/ next to this script)
// Prints one line per broken rule and exits 1, or exits 0 silently.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Top-level folder (or file) of src/ → the top-level folders it may import. */
const MAY_IMPORT = {
  util: [],
  log: ['util'],
  dns: ['util'],
  kms: ['dns', 'util'],
  adba: ['kms', 'util'],
  config: ['dns', 'kms', 'adba', 'util'],
  monitor: ['config', 'dns', 'kms', 'adba', 'util', 'log'],
  metrics: ['monitor', 'config', 'dns', 'kms', 'adba', 'util', 'version.ts'],
  web: ['metrics', 'monitor', 'config', 'dns', 'kms', 'adba', 'util', 'log', 'version.ts'],
  lab: ['config', 'dns', 'kms', 'adba', 'util', 'log'],
  app: ['web', 'metrics', 'monitor', 'config', 'dns', 'kms', 'adba', 'util', 'log', 'version.ts'],
  cli: ['lab', 'monitor', 'config', 'dns', 'kms', 'util', 'log', 'version.ts'],
  commands: [
    'app',
    'cli',
    'web',
    'lab',
    'monitor',
    'config',
    'dns',
    'kms',
    'adba',
    'util',
    'log',
    'version.ts',
  ],
  'cli.ts': ['cli', 'commands', 'config', 'version.ts'],
  'version.ts': [],
};

/**
 * Second entries of a folder besides its index.ts, for users that must not load the whole
 * folder: a one-shot command's start-up pays for every module it loads (docs/performance.md).
 */
const LIGHT_ENTRIES = new Set([
  // The lab's product table: `probe --product lab-*` needs it, not the lab's servers.
  'lab/lab-products.ts',
]);

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g;

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The .ts file an ESM specifier (`./x.js`) names. */
function target(from, specifier) {
  return resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
}

export function checkImports(srcDir) {
  const problems = [];
  for (const file of sourceFiles(srcDir)) {
    const rel = relative(srcDir, file).split(sep);
    const top = rel[0];
    const allowed = MAY_IMPORT[top];
    if (allowed === undefined) {
      problems.push(
        `${relative(srcDir, file)}: src/${top} has no layer in scripts/check-imports.mjs`,
      );
      continue;
    }
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(IMPORT)) {
      const to = target(file, specifier);
      const toRel = relative(srcDir, to).split(sep);
      const toTop = toRel[0];
      const where = `${relative(srcDir, file)}: '${specifier}'`;
      if (toTop === '..') {
        problems.push(`${where} leaves src/`);
        continue;
      }
      if (toTop === top) continue;
      if (!allowed.includes(toTop)) {
        problems.push(`${where}: src/${top} may not import src/${toTop} (layers, docs/design.md)`);
        continue;
      }
      const index = join(dirname(to), 'index.ts');
      if (existsSync(index) && to !== index && !LIGHT_ENTRIES.has(toRel.join('/'))) {
        problems.push(
          `${where}: use ${relative(srcDir, index)} (a folder is used through its index)`,
        );
      }
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const srcDir = resolve(
    process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src'),
  );
  const problems = checkImports(srcDir);
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.exit(problems.length === 0 ? 0 : 1);
}
