/**
 * Generates dashboards/kms-monitor.json, the provisionable Grafana dashboard of kms-monitor.
 * Edit the files it is built from — the rows in dashboards/rows/ (one file per row), the
 * panel builders, links, variables and layout in dashboards/lib/ — then run
 * `npx tsx dashboards/generate.ts`; test/deploy/dashboard.test.ts fails when the committed
 * JSON differs from what this generator builds.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildDashboard } from './lib/dashboard.js';

export { buildDashboard, DASHBOARD_UID } from './lib/dashboard.js';
export { STATUS_LINK_TITLES } from './lib/links.js';
export { HOST_EXPR, INSTANCE_QUERY, JOB_QUERY, STATUS_URL_EXPR } from './lib/variables.js';

export const DASHBOARD_FILE = fileURLToPath(new URL('./kms-monitor.json', import.meta.url));

/** The dashboard as committed: JSON formatted by the repository's prettier settings. */
export async function renderDashboard(): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(DASHBOARD_FILE)) ?? {};
  return prettier.format(JSON.stringify(buildDashboard(), null, 2), {
    ...options,
    parser: 'json',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(DASHBOARD_FILE, await renderDashboard());
  process.stdout.write(`wrote ${DASHBOARD_FILE}\n`);
}
