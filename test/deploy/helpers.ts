/**
 * Shared by the deploy tests: the repository's rule files, the README metric table as the
 * contract of metric names and labels, a small PromQL scanner for the metric names and
 * label matchers an expression uses, and a bounded runner for external tools (promtool,
 * systemd-analyze) where a missing tool is a failure, never a skip.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const repoPath = (path: string): string =>
  fileURLToPath(new URL(`../../${path}`, import.meta.url));

export const RECORDING_RULES = 'deploy/prometheus/recording-rules.yml';
export const ALERTING_RULES = 'deploy/prometheus/alerting-rules.yml';

export function readText(path: string): string {
  return readFileSync(repoPath(path), 'utf8');
}

/**
 * The project's web address as package.json declares it (`repository.url`, in npm's
 * `git+https://…/name.git` form): every project URL in deploy/, dashboards/ and docs/
 * derives from it, so a move of the repository is one edit of package.json away.
 */
export function projectUrl(): string {
  const pkg = JSON.parse(readText('package.json')) as {
    repository?: string | { url?: string };
  };
  const raw = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (!raw) throw new Error('package.json: repository.url is missing');
  const url = raw.replace(/^git\+/, '').replace(/\.git$/, '');
  if (!/^https:\/\/[\w.-]+\/[\w.-]+\/[\w.-]+$/.test(url))
    throw new Error(
      `package.json: repository.url ${JSON.stringify(raw)} is not an https repository`,
    );
  return url;
}

/** Files of the default branch as the repository's web view shows them. */
export const projectFileUrl = (path: string): string => `${projectUrl()}/blob/main/${path}`;

export const RUNBOOK_BASE = projectFileUrl('docs/alerts.md');

export function readYaml<T = unknown>(path: string): T {
  return YAML.parse(readText(path)) as T;
}

/** Every document of a multi-document YAML file. */
export function readYamlDocuments(path: string): unknown[] {
  return YAML.parseAllDocuments(readText(path)).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]!.message}`);
    return doc.toJS() as unknown;
  });
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Array<AlertRule | RecordingRule>;
}

export function ruleGroups(path: string): RuleGroup[] {
  return readYaml<{ groups: RuleGroup[] }>(path).groups;
}

export function alertRules(): AlertRule[] {
  return ruleGroups(ALERTING_RULES).flatMap((g) =>
    g.rules.filter((r): r is AlertRule => 'alert' in r),
  );
}

export function recordingRules(): RecordingRule[] {
  return ruleGroups(RECORDING_RULES).flatMap((g) =>
    g.rules.filter((r): r is RecordingRule => 'record' in r),
  );
}

/**
 * The README's metric table: metric name → its labels. `process_*` and `nodejs_*` rows
 * become prefixes (label sets unknown, so not checked).
 */
export function readmeMetrics(): { metrics: Map<string, Set<string>>; prefixes: string[] } {
  const readme = readText('README.md');
  const section = readme.slice(readme.indexOf('## Metrics'));
  const table = section.slice(0, section.indexOf('\n## ', 4));
  const metrics = new Map<string, Set<string>>();
  const prefixes: string[] = [];
  for (const line of table.split('\n')) {
    const cell = /^\|\s*(.+?)\s*\|/.exec(line)?.[1];
    if (!cell) continue;
    for (const code of cell.matchAll(/`([^`]+)`/g)) {
      const m = /^([a-z_:][a-z0-9_:]*)(\*)?(?:\{([^}]*)\})?$/.exec(code[1]!);
      if (!m) continue;
      if (m[2]) prefixes.push(m[1]!);
      else metrics.set(m[1]!, new Set(m[3] ? m[3].split(',').map((l) => l.trim()) : []));
    }
  }
  return { metrics, prefixes };
}

/** Series Prometheus itself makes, allowed in expressions beside the contract's metrics. */
export const PROMETHEUS_SERIES = new Set(['up', 'ALERTS']);
/** Labels Prometheus adds to every scraped series. */
export const TARGET_LABELS = new Set(['job', 'instance']);

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'Inf', 'NaN']);

export interface SelectorUse {
  metric: string;
  /** Label names used in the selector's matchers. */
  labels: string[];
}

/**
 * The vector selectors of a PromQL expression (metric names with the label names of their
 * matchers). A scanner, not a parser: it knows strings, matchers, ranges, grouping
 * clauses and function calls, which is all the rules and the dashboard use.
 */
export function selectors(expr: string): SelectorUse[] {
  // Strings go first (they may hold braces or `$domain`), matchers are kept by index.
  let e = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const found: SelectorUse[] = [];
  const matcherLabels = (body: string) =>
    [...body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)].map((m) => m[1]!);
  // name{...}
  e = e.replace(/(?<![\w:.])([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g, (_, name: string, body: string) => {
    found.push({ metric: name, labels: matcherLabels(body) });
    return ' ';
  });
  // {__name__="..."} style selectors are not used; a bare {…} would be an error here.
  e = e.replace(/\{[^}]*\}/g, ' ');
  e = e.replace(/\[[^\]]*\]/g, ' ');
  e = e.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  e = e.replace(/\b(group_left|group_right)\b/g, ' ');
  e = e.replace(/\boffset\s+[\w$]+/g, ' ');
  for (const m of e.matchAll(/(?<![\w:.$])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    const name = m[1]!;
    if (m[2] || KEYWORDS.has(name)) continue; // a function or aggregation call, or a keyword
    found.push({ metric: name, labels: [] });
  }
  return found;
}

/**
 * Problems of an expression against the contract: unknown metric names, and label
 * matchers on labels a README metric does not have. Recording rules count as metrics.
 */
export function contractProblems(expr: string, recorded: ReadonlySet<string>): string[] {
  const { metrics, prefixes } = readmeMetrics();
  const problems: string[] = [];
  for (const { metric, labels } of selectors(expr)) {
    if (PROMETHEUS_SERIES.has(metric) || recorded.has(metric)) continue;
    if (prefixes.some((p) => metric.startsWith(p))) continue;
    const known = metrics.get(metric);
    if (!known) {
      problems.push(`unknown metric ${metric}`);
      continue;
    }
    for (const label of labels) {
      if (!known.has(label) && !TARGET_LABELS.has(label) && label !== '__name__')
        problems.push(`${metric} has no label ${label}`);
    }
  }
  return problems;
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool with a time limit; a missing tool rejects (the test fails, it does not skip). */
export function runTool(
  command: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${command} is not runnable (${err.message}); .ci/run installs it`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The dashboard's panel queries with their panel titles (rows have none). */
export function dashboardQueries(dashboard: {
  panels: Array<{ title: string; type: string; targets?: Array<{ expr: string }> }>;
}): Array<{ panel: string; expr: string }> {
  return dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
  );
}

export type FilterVariable = 'job' | 'instance' | 'domain' | 'host' | 'product';

/**
 * A dashboard expression with Grafana's variables replaced, ready for Prometheus: each
 * filter variable by the regex Grafana would put there (`values`, already escaped), or
 * by `.*`, its "All" value.
 */
export function substituteVariables(
  expr: string,
  rateInterval = '5m',
  values: Partial<Record<FilterVariable, string>> = {},
): string {
  return expr
    .replace(/\$__rate_interval|\$__interval|\$__range/g, rateInterval)
    .replace(
      /\$\{?(job|instance|domain|host|product)\}?/g,
      (_, name: FilterVariable) => values[name] ?? '.*',
    );
}

/** A value as Grafana puts a single chosen value into a regex matcher (escaped). */
export const regexValue = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');
