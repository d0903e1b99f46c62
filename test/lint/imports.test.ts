// The layer rules `npm run lint` enforces (scripts/check-imports.mjs): the real tree keeps
// them, and a deliberately wrong import in a copy of it is reported, by file and rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs script without declarations
import { checkImports } from '../../scripts/check-imports.mjs';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const check = checkImports as (dir: string) => string[];

describe('import rules', () => {
  it('src/ keeps them', () => {
    assert.deepEqual(check(SRC), []);
  });

  it('a protocol layer importing the monitor, or a folder bypassing its index, is reported', () => {
    const copy = mkdtempSync(join(tmpdir(), 'kms-imports-'));
    try {
      cpSync(SRC, copy, { recursive: true });
      writeFileSync(
        join(copy, 'dns', 'wrong-layer.ts'),
        "import type { MonitorPlan } from '../monitor/plan.js';\nexport type X = MonitorPlan;\n",
      );
      writeFileSync(
        join(copy, 'monitor', 'wrong-index.ts'),
        "import type { KmsProductResult } from '../kms/client/result.js';\nexport type Y = KmsProductResult;\n",
      );
      assert.deepEqual(check(copy), [
        "dns/wrong-layer.ts: '../monitor/plan.js': src/dns may not import src/monitor (layers, docs/design.md)",
        "monitor/wrong-index.ts: '../kms/client/result.js': use kms/client/index.ts (a folder is used through its index)",
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
