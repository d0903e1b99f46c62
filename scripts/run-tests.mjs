#!/usr/bin/env node
// Builds dist/ (the CLI tests run the built kms-monitor, as users do), then runs every
// test/**/*.test.ts with node's test runner, TypeScript loaded through tsx. The files are
// found here rather than by --test globs, so arguments can narrow the set:
// `npm test -- dns kms/rpc` runs only files whose path contains one of them.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = findTests('test')
  .map((f) => relative('.', f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// tsc emits even when a type error is found; type errors fail CI in `npm run typecheck`,
// so here they are reported without blocking the tests of unrelated modules.
const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) console.error('warning: the build reported errors (see above)');
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
