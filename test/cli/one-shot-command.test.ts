import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneShotCommand, reportResults, type CommandIo } from '../../src/cli/one-shot-command.js';
import { ExitCode } from '../../src/cli/command.js';
import { UsageError } from '../../src/cli/parse.js';
import { ConfigError } from '../../src/config/errors.js';

const spec = {
  name: 'discover',
  summary: 'test',
  usage: 'Usage: kms-monitor discover [DOMAIN...]',
};

function capture(): CommandIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

/** A command whose plan step does `planned` and whose run step records the plan it got. */
function commandWith(io: CommandIo, planned: () => Promise<{ n: number } | 'help'>) {
  const ran: { n: number }[] = [];
  const command = oneShotCommand(spec, io, planned, async (plan) => {
    ran.push(plan);
    return 7;
  });
  return { command, ran };
}

test('the plan goes to the run step, whose exit code is the command’s', async () => {
  const io = capture();
  const { command, ran } = commandWith(io, async () => ({ n: 1 }));
  assert.equal(command.name, 'discover');
  assert.equal(await command.run([]), 7);
  assert.deepEqual(ran, [{ n: 1 }]);
  assert.deepEqual([io.out, io.err], ['', '']);
});

test('--help prints the usage on stdout, exit 0, and runs nothing', async () => {
  const io = capture();
  const { command, ran } = commandWith(io, async () => 'help');
  assert.equal(await command.run(['--help']), ExitCode.ok);
  assert.equal(io.out, `${spec.usage}\n`);
  assert.deepEqual([io.err, ran], ['', []]);
});

test('a usage or configuration error is one line naming the command, exit 2', async () => {
  for (const error of [new UsageError('--timeout: bad'), new ConfigError('bad key', 'x.y')]) {
    const io = capture();
    const { command, ran } = commandWith(io, async () => {
      throw error;
    });
    assert.equal(await command.run([]), ExitCode.usage);
    assert.equal(io.err, `kms-monitor discover: ${error.message}\n`);
    assert.deepEqual([io.out, ran], ['', []]);
  }
});

test('any other error is a bug and is not turned into a usage message', async () => {
  const io = capture();
  const { command } = commandWith(io, async () => {
    throw new TypeError('boom');
  });
  await assert.rejects(command.run([]), /boom/);
  assert.equal(io.err, '');
});

test('results are reported as text or JSON; exit 0 only when every one succeeded', () => {
  const results = [
    { success: true, id: 'a' },
    { success: false, id: 'b' },
  ];
  const toJson = (r: { id: string }) => ({ id: r.id });
  const text = () => 'a ok\nb failed\n';
  const io = capture();
  assert.equal(reportResults(io, results, { json: false, toJson, text }), ExitCode.failure);
  assert.equal(io.out, 'a ok\nb failed\n');
  const json = capture();
  assert.equal(reportResults(json, results, { json: true, toJson, text }), ExitCode.failure);
  assert.deepEqual(JSON.parse(json.out), [{ id: 'a' }, { id: 'b' }]);
  assert.ok(json.out.endsWith(']\n'));
  assert.equal(reportResults(capture(), [results[0]!], { json: true, toJson, text }), ExitCode.ok);
});
