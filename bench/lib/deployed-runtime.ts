/**
 * How the shipped units start `kms-monitor serve`: the environment (`Environment=` lines)
 * and the Node.js flags before the script in `ExecStart=` of deploy/systemd/kms-monitor.service.
 * The estate memory bench (serve-estate.ts) starts serve the same way, so the figure it
 * reports is the memory of the monitor as deployed (the allocator tuning in the unit is a
 * good part of it: docs/deployment.md, "Sizing: memory"). The container image carries the
 * same settings; test/deploy/runtime-tuning.test.ts holds the two together.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SYSTEMD_UNIT = fileURLToPath(
  new URL('../../deploy/systemd/kms-monitor.service', import.meta.url),
);

export interface DeployedRuntime {
  /** NAME → value, in the unit's order. */
  env: Record<string, string>;
  /** Node.js flags given before the script (e.g. `--max-semi-space-size=8`). */
  nodeFlags: string[];
}

/** The [Service] directives of a unit file, in order (comments and blank lines dropped). */
function serviceDirectives(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let inService = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) inService = section[1] === 'Service';
    else if (inService) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(line);
      if (m) out.push([m[1]!, m[2]!]);
    }
  }
  return out;
}

export function deployedRuntime(unitText = readFileSync(SYSTEMD_UNIT, 'utf8')): DeployedRuntime {
  const env: Record<string, string> = {};
  let execStart: string | undefined;
  for (const [key, value] of serviceDirectives(unitText)) {
    if (key === 'ExecStart') execStart = value;
    if (key !== 'Environment') continue;
    // The unit's assignments are unquoted NAME=VALUE words (systemd.exec(5) allows quoting;
    // the shipped unit does not use it, and a quote here is refused rather than misread).
    for (const word of value.split(/\s+/).filter(Boolean)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=([^"'\s]*)$/.exec(word);
      if (!m) throw new Error(`${SYSTEMD_UNIT}: Environment=${value}: not NAME=VALUE words`);
      env[m[1]!] = m[2]!;
    }
  }
  if (execStart === undefined) throw new Error(`${SYSTEMD_UNIT}: no ExecStart=`);
  const [, ...args] = execStart.split(/\s+/);
  const nodeFlags: string[] = [];
  for (const arg of args) {
    if (!arg.startsWith('-')) break;
    nodeFlags.push(arg);
  }
  return { env, nodeFlags };
}
