// Escaping: the html tag and escapeHtml, then every string field of a StatusView made
// hostile at once — the rendered pages must contain only the markup the templates write.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html as tag, join, trusted } from '../../src/web/status-page/html.js';
import {
  renderHostNotFound,
  renderHostPage,
  renderStatusPage,
} from '../../src/web/status-page/render-page.js';
import {
  narrowToDomain,
  renderDomainNotFound,
  renderDomainPage,
} from '../../src/web/status-page/render-domain-page.js';
import type { StatusView } from '../../src/monitor/status-view.js';
import { HOSTILE, hostileView, scenariosView } from './status-page-views.js';
import { hostKey } from '../../src/util/host-port.js';

/** The tags and attributes the templates write; anything else was injected. */
const TAGS = new Set(
  (
    'html head meta title link script noscript body a p header main footer section h1 h2 h3 h4 ' +
    'nav ul li span strong code div table caption thead tbody tr th td dl dt dd time br article ' +
    'form label input button'
  ).split(' '),
);
const ATTRIBUTES = new Set(
  (
    'lang charset name content rel href src defer http-equiv class id aria-labelledby ' +
    'aria-label aria-hidden scope datetime title data-refresh-seconds data-label colspan ' +
    'aria-current rel role method action type value maxlength pattern placeholder'
  ).split(' '),
);

/** Every start tag of `page` with its attribute names (values are quoted, escaped text). */
function tagsOf(page: string): Array<{ tag: string; attributes: string[]; raw: string }> {
  const out = [];
  for (const m of page.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const attributes = [...(m[2] ?? '').matchAll(/\s+([^\s=>/]+)(?:="[^"]*")?/g)].map(
      (a) => a[1] ?? '',
    );
    out.push({ tag: (m[1] ?? '').toLowerCase(), attributes, raw: m[0] });
  }
  return out;
}

function assertOnlyOwnMarkup(page: string): void {
  // No `<` may start anything but a known tag, a closing tag, a comment-free doctype.
  const stray = page.match(/<(?!\/?[a-zA-Z]|!doctype html>)/g);
  assert.equal(stray, null, 'a bare "<" in the page');
  for (const { tag, attributes, raw } of tagsOf(page)) {
    assert.ok(TAGS.has(tag), `unexpected tag ${raw}`);
    for (const a of attributes) assert.ok(ATTRIBUTES.has(a), `unexpected attribute in ${raw}`);
  }
  const scripts = tagsOf(page).filter((t) => t.tag === 'script');
  assert.ok(scripts.length <= 1, 'one script at most: the refresh script');
  for (const s of scripts)
    assert.match(s.raw, /^<script src="(\.\.\/)?static\/refresh\.js\?v=[0-9a-f]{12}" defer>$/);
  assert.doesNotMatch(page, /<script[^>]*>[^<]/, 'no inline script');
  assert.doesNotMatch(page, /\sstyle=/, 'no inline style');
}

/** A deep copy of `value` with every string replaced by `make(path, original)`. */
function mapStrings(value: unknown, make: (path: string, s: string) => string, path = ''): unknown {
  if (typeof value === 'string') return make(path, value);
  if (Array.isArray(value)) return value.map((v, i) => mapStrings(v, make, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, mapStrings(v, make, path ? `${path}.${k}` : k)]),
    );
  }
  return value;
}

describe('escapeHtml and the html tag', () => {
  it('escapes the five HTML specials and the backtick', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&\``),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;',
    );
    assert.equal(escapeHtml('plain kms1.example.test:1688'), 'plain kms1.example.test:1688');
    assert.equal(escapeHtml('&amp;'), '&amp;amp;', 'already-escaped text is escaped again');
  });

  it('shows control characters and bidi overrides as visible escapes, keeps tab and newline', () => {
    assert.equal(escapeHtml('kms\u202Eexe.test'), 'kms\\u{202E}exe.test');
    assert.equal(escapeHtml('a\u0000b\u001bc\u200Bd\uFEFF'), 'a\\u{0}b\\u{1B}c\\u{200B}d\\u{FEFF}');
    assert.equal(escapeHtml('line\tone\nline two'), 'line\tone\nline two');
  });

  it('escapes interpolated strings, keeps nested fragments, flattens arrays, drops null/false', () => {
    const name = '<b>x</b>';
    const out = tag`<p title="${name}">${name}${tag`<i>${name}</i>`}${[name, tag`<br>`]}${null}${undefined}${false}${7}</p>`;
    assert.equal(
      out.value,
      '<p title="&lt;b&gt;x&lt;/b&gt;">&lt;b&gt;x&lt;/b&gt;<i>&lt;b&gt;x&lt;/b&gt;</i>&lt;b&gt;x&lt;/b&gt;<br>7</p>',
    );
    assert.equal(join(['<a>', tag`<b></b>`], ', ').value, '&lt;a&gt;, <b></b>');
    assert.equal(trusted('<hr>').value, '<hr>');
  });

  it('an attribute value cannot be closed from inside: quotes come out as entities', () => {
    const out = tag`<a href="x" title="${HOSTILE.img}">t</a><span class="${HOSTILE.attr}"></span>`;
    assert.deepEqual(
      tagsOf(out.value).map((t) => [t.tag, ...t.attributes]),
      [
        ['a', 'href', 'title'],
        ['span', 'class'],
      ],
    );
  });
});

describe('every field from DNS or a KMS host is escaped', () => {
  it('the hand-built hostile view renders only the templates’ own markup', () => {
    const view = hostileView();
    const page = renderStatusPage(view, { refreshSeconds: 15 });
    assertOnlyOwnMarkup(page);
    // The hostile texts are there, as text.
    assert.ok(page.includes('&lt;script&gt;window.__pwned=1&lt;/script&gt;'));
    assert.ok(page.includes('&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;'));
    assert.ok(page.includes('kms\\u{202E}evil'));
    const host = renderHostPage(view, view.hosts[0]!.host, { refreshSeconds: 15 });
    assertOnlyOwnMarkup(host);
    assertOnlyOwnMarkup(renderHostNotFound(HOSTILE.img + HOSTILE.script));
    for (const d of view.domains) {
      assertOnlyOwnMarkup(
        renderDomainPage(narrowToDomain(view, d.domain)!, { refreshSeconds: 15 }),
      );
    }
    assertOnlyOwnMarkup(renderDomainNotFound(HOSTILE.img + HOSTILE.script));
  });

  it('every string field, replaced with markup, is shown as text or not at all', () => {
    // Each string of the view becomes `<x-N>"'…` (N numbers the field); the page may
    // show it, escaped, or leave the field out — never emit it raw.
    const paths: string[] = [];
    const base = scenariosView();
    const hostile = mapStrings(base, (path) => {
      paths.push(path);
      return `<x-${paths.length - 1}>"'`;
    }) as StatusView;
    const pages = [
      renderStatusPage(hostile, { refreshSeconds: 15 }),
      ...hostile.hosts.map((h) =>
        renderHostPage({ ...hostile, hosts: [h] }, h.host, { refreshSeconds: 15 }),
      ),
      ...hostile.domains.map((d) =>
        renderDomainPage(narrowToDomain(hostile, d.domain)!, { refreshSeconds: 15 }),
      ),
      // The probe log and the events on a host's page (each names its host, which the
      // mapping changed) and the events as repeats (their first time).
      renderHostPage(
        {
          ...hostile,
          hosts: [hostile.hosts[0]!],
          history: hostile.history.map((e) => ({ ...e, target: hostKey(hostile.hosts[0]!) })),
          events: (hostile.events ?? []).map((e) => ({ ...e, host: hostKey(hostile.hosts[0]!) })),
        },
        hostile.hosts[0]!.host,
        { refreshSeconds: 15 },
      ),
      // The probe log of the domain's page unnarrowed: each entry with its target.
      renderDomainPage({ ...hostile, domains: [hostile.domains[0]!] }, { refreshSeconds: 15 }),
      renderStatusPage(
        { ...hostile, events: (hostile.events ?? []).map((e) => ({ ...e, count: 2 })) },
        { refreshSeconds: 15 },
      ),
    ];
    for (const page of pages) assertOnlyOwnMarkup(page);
    const all = pages.join('\n');
    assert.doesNotMatch(all, /<x-\d+>/);
    // Which fields the page shows: all of them except the few it has no use for.
    // A field counts as shown when at least one of its instances is (the history is cut).
    const shown = new Set(
      paths
        .filter((_, i) => all.includes(`&lt;x-${i}&gt;&quot;&#39;`))
        .map((p) => p.replace(/\[\d+\]/g, '[]')),
    );
    const hidden = new Set(
      paths.map((p) => p.replace(/\[\d+\]/g, '[]')).filter((p) => !shown.has(p)),
    );
    const NOT_SHOWN = new Set([
      // The card's own key and time come from these; a broken value is not echoed back.
      'generatedAt',
      'hosts[].tcp.host',
      'hosts[].products[].host',
      'hosts[].tcp.timestamp',
      'hosts[].products[].timestamp',
      'history[].timestamp',
      // One address: its result is the host's TCP result, shown once as the card's TCP line.
      'hosts[].reachability[].host',
      'hosts[].reachability[].timestamp',
      'hosts[].reachability[].address',
      'hosts[].reachability[].error.reason',
      'hosts[].reachability[].error.message',
      // A product's key install date and build are decoded from the ePID itself.
      'hosts[].products[].keyInstallDate',
      // An event's kind, change and severity are words of the page's own (raised, went
      // down); its key is what the journal folds by; its product is in its message.
      'events[].kind',
      'events[].change',
      'events[].severity',
      'events[].key',
      'events[].product',
    ]);
    assert.deepEqual(
      [...hidden].filter((p) => !NOT_SHOWN.has(p)).sort(),
      [],
      'fields the page never shows',
    );
  });
});
