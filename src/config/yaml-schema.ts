/**
 * YAML text → plain object → schema validation, for every YAML file kms-monitor reads
 * (the configuration and the web configuration). Every failure becomes one ConfigError
 * naming the key path and line; nothing half-loaded ever escapes.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.js';
import { formatKeyPath, locate } from './yaml-locate.js';

// Apart so that a cached configuration is read without loading the YAML parser.
export { readYamlFile } from './read-yaml-text.js';

export interface ParsedYaml<T> {
  value: T;
  /** Position lookup for checks that run after the schema. */
  errorAt(path: PropertyKey[], message: string): ConfigError;
}

export function parseYamlAgainst<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
): ParsedYaml<z.output<S>> {
  const lines = new LineCounter();
  // logLevel 'error': the yaml library would print its warnings (e.g. a mapping used as a
  // key) to stderr, past the logger; errors are what we report, with their lines.
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: true,
    uniqueKeys: true,
    logLevel: 'error',
  });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = syntax.linePos?.[0];
    const first = (syntax.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`invalid YAML: ${first}`, '', file, pos?.line, pos?.col);
  }
  let raw: unknown;
  try {
    // An empty file means "all defaults"; alias expansion is bounded (billion laughs).
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    throw new ConfigError(`invalid YAML: ${(err as Error).message}`, '', file);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('the file must be a mapping of keys to values', '', file, 1);
  }
  const errorAt = (path: PropertyKey[], message: string): ConfigError => {
    const pos = locate(doc, lines, path);
    return new ConfigError(message, formatKeyPath(path), file, pos?.line, pos?.col);
  };
  // jitless: zod would otherwise compile a parser per object schema (new Function) on its
  // first parse, which costs more than it saves for a file parsed once per (re)load.
  const result = schema.safeParse(raw, { reportInput: true, jitless: true });
  if (!result.success) throw issueToError(result.error.issues[0]!, doc, lines, file);
  return { value: result.data, errorAt };
}

/**
 * The issue to report. A union's own message says nothing; prefer the branch that got past
 * the type check (an object entry rather than a plain string) and take its first issue,
 * with the full path. Used for command-line values too, so a flag reads like its key.
 */
export function reportedIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const branch =
    issue.errors.find((b) => !(b[0]?.code === 'invalid_type' && b[0].path.length === 0)) ??
    issue.errors[0];
  const inner = branch?.[0];
  return inner ? reportedIssue({ ...inner, path: [...issue.path, ...inner.path] }) : issue;
}

function issueToError(
  reported: z.core.$ZodIssue,
  doc: Document,
  lines: LineCounter,
  file: string,
): ConfigError {
  const issue = reportedIssue(reported);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const pos = locate(doc, lines, issue.path, key);
    return new ConfigError(
      'unknown key',
      formatKeyPath([...issue.path, key]),
      file,
      pos?.line,
      pos?.col,
    );
  }
  let message = issue.message;
  if (issue.code === 'invalid_type') {
    // zod reports a fraction given for an integer as "expected int"; say it in words.
    const expected = issue.expected === 'int' ? 'an integer' : issue.expected;
    message = `expected ${expected}${describeReceived(issue)}`;
  }
  const duplicateOf = issue.code === 'custom' ? issue.params?.duplicateOf : undefined;
  if (typeof duplicateOf === 'number') {
    // A duplicate: say where the first one is, so both positions are named.
    const firstPath = [...issue.path.slice(0, -1), duplicateOf];
    const first = locate(doc, lines, firstPath);
    const where = first ? `, line ${first.line}:${first.col}` : '';
    message += ` (${formatKeyPath(firstPath)}${where})`;
  }
  const pos = locate(doc, lines, issue.path);
  return new ConfigError(message, formatKeyPath(issue.path), file, pos?.line, pos?.col);
}

function describeReceived(issue: z.core.$ZodIssue): string {
  if (!('input' in issue) || issue.input === undefined) return ', but the key is missing';
  const input = issue.input;
  if (typeof input === 'number') return `, got ${input}`;
  return `, got ${Array.isArray(input) ? 'a list' : input === null ? 'null' : typeof input}`;
}
