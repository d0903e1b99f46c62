// The README's Performance table is bench/results.json's goal figures, not a hand copy:
// a run that is committed without regenerating the README (or a README edited by hand)
// fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  goalBlock,
  goalFigures,
  readmeBlock,
  runLine,
  tableCells,
} from '../../bench/goal-table.js';
import type { StoredResults } from '../../bench/lib/results.js';
import { REPO } from '../helpers/cli.js';

const results = JSON.parse(readFileSync(`${REPO}bench/results.json`, 'utf8')) as StoredResults;

test('the README Performance table is the goal figures of bench/results.json', () => {
  const readme = readFileSync(`${REPO}README.md`, 'utf8');
  const block = readmeBlock(readme);
  assert.ok(block, 'README.md has the generated goal block');
  const generated = goalBlock(results);
  assert.deepEqual(tableCells(block), tableCells(generated));
  assert.ok(block.includes(runLine(results, goalFigures(results))), 'the run line');
});

test('every goal figure is in the table, met or MISSED, with an escaped pipe kept whole', () => {
  const figure = results.figures.find((f) => f.goal);
  assert.ok(figure, 'results.json has a goal figure');
  const piped = { ...figure, name: 'a | b', goal: { text: 'x', met: false } };
  const cells = tableCells(goalBlock({ ...results, figures: [piped] }));
  assert.equal(cells.length, 1);
  assert.equal(cells[0]?.[0], 'a \\| b');
  assert.equal(cells[0]?.[4], 'MISSED: x');
  assert.equal(tableCells(goalBlock(results)).length, results.figures.filter((f) => f.goal).length);
});
