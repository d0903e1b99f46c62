/** The package version, read once from package.json (one level above src/ and dist/). */
import { createRequire } from 'node:module';

function readVersion(): string {
  try {
    // require(), not node:fs: an ES module import of node:fs loads fs/promises, readline and
    // the stream modules with it, which `--version` then pays for (docs/performance.md).
    const pkg = createRequire(import.meta.url)('../package.json') as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const VERSION = readVersion();
