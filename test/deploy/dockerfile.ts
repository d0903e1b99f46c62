/**
 * A Dockerfile read the way the deploy tests need it: instructions with continuation lines
 * joined and comments dropped, grouped into stages, and the runtime stage's HEALTHCHECK and
 * CMD in exec (JSON) form.
 */
import assert from 'node:assert/strict';

export interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
export function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    const m = /^(\w+)\s+([\s\S]*)$/.exec(current);
    assert.ok(m, `not an instruction: ${current}`);
    out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim() });
    current = '';
  }
  return out;
}

/** The stages, each a list of instructions starting with its FROM. */
export function stages(all: Instruction[]): Instruction[][] {
  const result: Instruction[][] = [];
  for (const i of all) {
    if (i.op === 'FROM') result.push([i]);
    else if (result.length > 0) result.at(-1)!.push(i);
  }
  return result;
}

/** The last stage's instructions of one kind. */
export function runtimeOps(text: string, op: string): Instruction[] {
  return stages(instructions(text))
    .at(-1)!
    .filter((i) => i.op === op);
}

/** The exec-form command of the runtime stage's HEALTHCHECK, and its --timeout in ms. */
export function healthCheck(text: string): { argv: string[]; timeoutMs: number } {
  const [check] = runtimeOps(text, 'HEALTHCHECK');
  assert.ok(check, 'a HEALTHCHECK in the runtime stage');
  const m = /\bCMD\s+(\[.*\])\s*$/.exec(check.args);
  assert.ok(m, `HEALTHCHECK ${check.args}: not an exec-form CMD`);
  const timeout = /--timeout=(\d+)s\b/.exec(check.args);
  return {
    argv: JSON.parse(m[1]!) as string[],
    timeoutMs: timeout ? Number(timeout[1]) * 1000 : 30_000,
  };
}

/** The runtime stage's CMD (the default arguments of `serve`), exec form. */
export function defaultArgs(text: string): string[] {
  const cmd = runtimeOps(text, 'CMD').at(-1);
  assert.ok(cmd, 'a CMD in the runtime stage');
  return JSON.parse(cmd.args) as string[];
}
