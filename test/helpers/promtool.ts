/**
 * `promtool check metrics` from Debian's prometheus package, the reference linter of the
 * exposition format. .ci/run installs it; a missing promtool fails the test, it does not skip.
 */
import { spawnSync } from 'node:child_process';

export function promtoolCheckMetrics(text: string): { ok: boolean; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool not runnable: ${result.error.message}`);
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}
