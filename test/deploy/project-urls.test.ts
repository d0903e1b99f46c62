/**
 * Every address in the deploy files, the dashboard and the deployment documents either
 * derives from package.json's `repository` (runbook_url, the systemd unit's
 * Documentation=, the image's source label, the dashboard's links, clone commands), or
 * is local (loopback, a compose service name, example.com, a placeholder), or is one of a
 * few named third-party references. A project URL that names a file must name one that
 * exists, and an anchor into a Markdown file must be one of its headings, so a renamed
 * alert or document breaks here rather than in an admin's browser.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO, alertRules, projectFileUrl, projectUrl, readText, repoPath } from './helpers.js';

/** Third-party pages the documents cite on purpose; anything else must be classified. */
const THIRD_PARTY = [
  'https://prometheus-operator.dev/',
  'https://nodejs.org/',
  'https://nssm.cc/',
  'https://github.com/winsw/winsw',
  'https://learn.microsoft.com/',
];

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(repoPath(dir))) {
    const path = join(repoPath(dir), name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(relative(REPO, path)));
    else out.push(relative(REPO, path));
  }
  return out;
}

const SCANNED = [
  ...filesUnder('deploy'),
  ...filesUnder('dashboards'),
  'docs/deployment.md',
  'docs/alerts.md',
  ...(existsSync(repoPath('docs/windows.md')) ? ['docs/windows.md'] : []),
];

interface Found {
  where: string;
  url: string;
}

/** The http(s) addresses of a text, with file:line; trailing punctuation is not part of one. */
function urlsIn(text: string, file: string): Found[] {
  const found: Found[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/https?:\/\/[^\s'"`<>)\]]+/g)) {
      found.push({ where: `${file}:${i + 1}`, url: m[0].replace(/[.,;:]+$/, '') });
    }
  });
  return found;
}

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    anchors.add(
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    );
  }
  return anchors;
}

function isLocal(url: string): boolean {
  // A placeholder: http://<instance>:9688/, ${status_url}, https://…/name.git
  if (/[<${…]/.test(url)) return true;
  const host = new URL(url).hostname;
  return (
    host === 'localhost' ||
    host === '[::1]' ||
    /^127\./.test(host) ||
    !host.includes('.') || // a compose service or Kubernetes short name
    /(^|\.)example\.(com|org|net)$/.test(host) ||
    host.endsWith('.test')
  );
}

/** What is wrong with one address, or null. */
function urlProblem(url: string, base = projectUrl()): string | null {
  if (url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}#`)) {
    const file = new RegExp(`^${base.replace(/[.]/g, '\\.')}/blob/main/([^#?]+)(?:#(.*))?$`).exec(
      url,
    );
    if (url.startsWith(`${base}/blob/`) && !file) return 'a file link not on the main branch';
    if (!file) return null;
    const [, path, anchor] = file;
    if (!existsSync(repoPath(path!))) return `${path} does not exist`;
    if (anchor !== undefined) {
      if (!path!.endsWith('.md')) return `an anchor into ${path}, which is not Markdown`;
      if (!headingAnchors(readText(path!)).has(anchor)) return `${path} has no heading #${anchor}`;
    }
    return null;
  }
  if (!/[<${…]/.test(url) && !URL.canParse(url)) return 'not a valid URL';
  if (isLocal(url)) return null;
  if (THIRD_PARTY.some((t) => url.startsWith(t))) return null;
  if (/^https?:\/\/github\.com\//.test(url)) return `not the repository of package.json (${base})`;
  return 'neither the project, local, nor a listed third-party reference';
}

describe('project addresses', () => {
  const base = projectUrl();

  test("package.json's homepage and bugs agree with its repository", () => {
    const pkg = JSON.parse(readText('package.json')) as {
      homepage: string;
      bugs: { url: string };
    };
    assert.equal(base, 'https://github.com/kms-monitor/kms-monitor');
    assert.ok(pkg.homepage === base || pkg.homepage.startsWith(`${base}#`), pkg.homepage);
    assert.equal(pkg.bugs.url, `${base}/issues`);
  });

  test('the checker refuses a foreign repository, a missing file and a missing heading', () => {
    const other = 'https://github.com/someone/kms-monitor/blob/main/docs/alerts.md';
    assert.match(urlProblem(other) ?? '', /not the repository of package\.json/);
    assert.match(urlProblem(`${base}/blob/main/docs/nope.md`) ?? '', /does not exist/);
    assert.match(urlProblem(`${base}/blob/main/docs/alerts.md#kmsnope`) ?? '', /no heading/);
    assert.match(urlProblem(`${base}/blob/master/README.md`) ?? '', /not on the main branch/);
    assert.match(urlProblem('https://monitoring.corp.net/') ?? '', /neither/);
    assert.equal(urlProblem(`${base}/blob/main/docs/alerts.md#kmsnoworkinghost`), null);
    assert.equal(urlProblem('http://127.0.0.1:9688/-/healthy'), null);
    assert.deepEqual(
      urlsIn('see https://x.example.com/a. And (http://localhost:1/b)', 'f').map((f) => f.url),
      ['https://x.example.com/a', 'http://localhost:1/b'],
    );
  });

  test('every address in deploy/, the dashboard and the deployment documents is accounted for', () => {
    const problems: string[] = [];
    let project = 0;
    for (const file of SCANNED) {
      for (const { where, url } of urlsIn(readText(file), file)) {
        const problem = urlProblem(url, base);
        if (problem) problems.push(`${where}: ${url}: ${problem}`);
        if (url.startsWith(base)) project++;
      }
    }
    assert.deepEqual(problems, []);
    // The alerting rules alone carry one runbook each.
    assert.ok(project >= alertRules().length, `${project} project URLs found`);
  });

  test("each alert's runbook_url is its heading in docs/alerts.md", () => {
    const anchors = headingAnchors(readText('docs/alerts.md'));
    for (const a of alertRules()) {
      const anchor = a.alert.toLowerCase();
      assert.equal(
        a.annotations?.runbook_url,
        `${projectFileUrl('docs/alerts.md')}#${anchor}`,
        a.alert,
      );
      assert.ok(anchors.has(anchor), `docs/alerts.md has ## ${a.alert}`);
    }
  });

  test("the systemd unit's Documentation= and the image's source label point at the project", () => {
    const unit = readText('deploy/systemd/kms-monitor.service');
    const docs = [...unit.matchAll(/^Documentation=(.+)$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    assert.ok(docs.length > 0, 'Documentation=');
    for (const url of docs) {
      assert.ok(url.startsWith(`${base}/`), url);
      assert.equal(urlProblem(url, base), null, url);
    }
    const dockerfile = readText('deploy/docker/Dockerfile');
    const source = /org\.opencontainers\.image\.source="([^"]+)"/.exec(dockerfile);
    assert.equal(source?.[1], base);
  });

  test("the dashboard's links point at the project", () => {
    const dashboard = JSON.parse(readText('dashboards/kms-monitor.json')) as {
      links: Array<{ url: string }>;
    };
    const project = dashboard.links.filter((l) => l.url.startsWith('https://'));
    assert.ok(project.length > 0);
    for (const link of project) assert.equal(urlProblem(link.url, base), null, link.url);
    assert.ok(project.some((l) => l.url === projectFileUrl('docs/alerts.md')));
  });
});
