/**
 * The page's stylesheet, served as /static/status.css. Light and dark schemes follow the
 * reader's system (prefers-color-scheme); every status colour is paired with a word and a
 * symbol in the markup, and the below-threshold bar is striped, so nothing depends on
 * colour alone. Bar widths are classes (.p0 … .p100): the Content-Security-Policy forbids
 * inline styles.
 */

function barWidths(): string {
  let css = '';
  for (let p = 0; p <= 100; p++) css += `.p${p}{width:${p}%}`;
  return css;
}

export const STYLESHEET = `/* kms-monitor status page */
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --fg: #1b1f24; --muted: #57606a; --card: #ffffff; --border: #d0d7de;
  --link: #0550ae; --code-bg: #eef1f4; --bar-bg: #e3e7ec;
  --ok: #1a7f37; --ok-bg: #dafbe1; --warning: #8a5a00; --warning-bg: #fff4c2;
  --critical: #c8202c; --critical-bg: #ffebe9; --unknown: #57606a; --unknown-bg: #eaeef2;
  --tick: #1b1f24;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1116; --fg: #e6edf3; --muted: #9da7b3; --card: #161b22; --border: #30363d;
    --link: #79b8ff; --code-bg: #1f252d; --bar-bg: #262d36;
    --ok: #3fb950; --ok-bg: #0f2a18; --warning: #e3b341; --warning-bg: #2e2409;
    --critical: #ff7b72; --critical-bg: #3a1417; --unknown: #9da7b3; --unknown-bg: #21262d;
    --tick: #e6edf3;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto; max-width: 96rem; padding: 0 1rem 2rem;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
a { color: var(--link); }
a:focus-visible, summary:focus-visible { outline: 2px solid var(--link); outline-offset: 2px; }
code { font: 0.85em/1.3 ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", monospace;
  background: var(--code-bg); padding: 0 0.25em; border-radius: 0.25em; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; margin: 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; border-bottom: 1px solid var(--border); padding-bottom: 0.25rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.5rem; overflow-wrap: anywhere; }
h4 { font-size: 0.95rem; margin: 0.75rem 0 0.35rem; }
.muted { color: var(--muted); }
.skip { position: absolute; left: -999rem; }
.skip:focus { left: 1rem; top: 0.5rem; background: var(--card); padding: 0.5rem; z-index: 2; }

header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; padding: 1rem 0 0.5rem; }
header.top .status { font-size: 1.1rem; }
header.top .tag { font-size: 1rem; padding: 0.1em 0.6em; }
header.top p { margin: 0; }
nav.crumbs { width: 100%; font-size: 0.9rem; }

.tag { display: inline-block; padding: 0 0.45em; border: 1px solid currentColor; border-radius: 0.3em;
  font-size: 0.78rem; font-weight: 600; line-height: 1.5; white-space: nowrap; vertical-align: 0.1em; }
.tag.ok { color: var(--ok); background: var(--ok-bg); }
.tag.warning { color: var(--warning); background: var(--warning-bg); }
.tag.critical { color: var(--critical); background: var(--critical-bg); }
.tag.unknown { color: var(--unknown); background: var(--unknown-bg); }
.word-ok { color: var(--ok); }
.word-warning { color: var(--warning); font-weight: 600; }

.summary { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 0.5rem 0 1rem; padding: 0; list-style: none; }
.summary li { flex: 1 1 9rem; max-width: 16rem; background: var(--card); border: 1px solid var(--border); border-radius: 0.5rem; padding: 0.5rem 0.9rem; }
.summary .figure { display: block; font-size: 1.35rem; font-weight: 700; }
.summary li.warning { border-left: 0.3rem solid var(--warning); }
.summary li.critical { border-left: 0.3rem solid var(--critical); }
.summary li.ok { border-left: 0.3rem solid var(--ok); }

ul.problems { padding-left: 0; list-style: none; margin: 0.5rem 0; }
ul.problems li { margin: 0.25rem 0; overflow-wrap: anywhere; }

.notice { background: var(--card); border: 1px solid var(--border); border-radius: 0.4rem; padding: 0.4rem 0.7rem; }
.notice.warning { background: var(--warning-bg); border-color: var(--warning); }
.error { background: var(--critical-bg); border-left: 0.25rem solid var(--critical); border-radius: 0.3rem;
  padding: 0.35rem 0.7rem; margin: 0.4rem 0; overflow-wrap: anywhere; }
.error p { margin: 0.2rem 0; }
.error .label { font-weight: 600; }

section.domain { background: var(--card); border: 1px solid var(--border); border-radius: 0.5rem; padding: 0.75rem 1rem; margin: 0 0 1rem; }
section.domain.critical { border-left: 0.35rem solid var(--critical); }
section.domain.warning { border-left: 0.35rem solid var(--warning); }
section.domain.ok { border-left: 0.35rem solid var(--ok); }
.resolver-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 1rem; margin-top: 0.5rem; }
.resolver-head h4 { margin: 0.25rem 0; }
.resolver-head p { margin: 0.25rem 0; font-size: 0.85rem; }

.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.86rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; }
thead th { color: var(--muted); font-weight: 600; white-space: nowrap; }
tbody th { font-weight: 500; overflow-wrap: anywhere; }
tr.differs { background: var(--warning-bg); }
tr.failure td.message { overflow-wrap: anywhere; }
table.history .time { white-space: nowrap; font-weight: normal; }
table.products td { white-space: nowrap; }

.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 27rem), 1fr)); gap: 1rem; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 0.5rem; padding: 0.75rem 1rem; min-width: 0; }
.card.ok { border-left: 0.35rem solid var(--ok); }
.card.warning { border-left: 0.35rem solid var(--warning); }
.card.critical { border-left: 0.35rem solid var(--critical); }
.card.unknown { border-left: 0.35rem solid var(--unknown); }
.card > p { margin: 0.2rem 0; overflow-wrap: anywhere; }
h2.card-title { border: 0; margin-top: 0.25rem; }
table.host-products { margin: 0.5rem 0 0.25rem; }
table.host-products td { vertical-align: middle; overflow-wrap: anywhere; }
/* A refusal tag ("✖ kms_error 0xC004F042") and the headings wrap in a narrow card rather than widen it. */
table.host-products .tag, table.host-products thead th { white-space: normal; }
/* Product names stay whole in the products table; in a host card they may break at a hyphen (a card is narrow). */
table.products th code { white-space: nowrap; overflow-wrap: normal; }
.card dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.15rem 0.75rem; margin: 0.5rem 0; font-size: 0.86rem; }
.card dt { color: var(--muted); }
.card dd { margin: 0; overflow-wrap: anywhere; }
.problem h4, .problem h3 { margin: 0.5rem 0 0; font-size: 0.86rem; }
.error.warning { background: var(--warning-bg); border-left-color: var(--warning); }

.count { display: flex; flex-wrap: wrap; align-items: center; gap: 0.2rem 0.6rem; }
.bar { position: relative; display: inline-block; height: 0.8rem; width: 9rem; background: var(--bar-bg); border-radius: 0.4rem; overflow: hidden; }
.bar .fill { display: block; height: 100%; background: var(--ok); }
.count.below .bar .fill { background: repeating-linear-gradient(135deg, var(--warning) 0 0.3rem, transparent 0.3rem 0.5rem); }
.bar::after { content: ""; position: absolute; left: calc(50% - 1px); top: 0; bottom: 0; width: 2px; background: var(--tick); }
${barWidths()}

.refresh-state { width: 100%; margin: 0; font-size: 0.8rem; color: var(--muted); }
.refresh-state:empty { display: none; }
/* When the monitor cannot be reached the notice stays in view wherever the reader is. */
body.stale .refresh-state { position: fixed; right: 0.5rem; bottom: 0.5rem; width: auto; max-width: 30rem; z-index: 3;
  padding: 0.4rem 0.7rem; border: 1px solid var(--critical); border-radius: 0.3rem;
  color: var(--critical); background: var(--critical-bg); font-weight: 600; }
/* The matrix on \`/\`: one row per domain, one cell per product. */
.matrix-section h2 { margin-top: 1rem; }
.answer { font-size: 1.05rem; margin: 0.25rem 0 0.5rem; }
nav.filters { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 1.25rem; font-size: 0.86rem; margin: 0 0 0.5rem; }
nav.filters p { margin: 0; }
nav.filters .label, .pager .label { color: var(--muted); margin-right: 0.3rem; }
nav.filters a { margin-right: 0.35rem; white-space: nowrap; }
nav.filters a.current { font-weight: 700; color: var(--fg); text-decoration: none; border-bottom: 2px solid var(--link); }
nav.filters form { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.35rem; }
nav.filters input[type=search] { width: 12rem; max-width: 100%; font: inherit; padding: 0.1rem 0.3rem; }
table.matrix { width: auto; min-width: min(100%, 40rem); }
table.matrix caption { font-weight: normal; font-size: 0.8rem; }
table.matrix tbody th { white-space: normal; }
table.matrix tbody tr > th { border-left: 0.3rem solid var(--border); }
table.matrix tbody tr.critical > th { border-left-color: var(--critical); }
table.matrix tbody tr.warning > th { border-left-color: var(--warning); }
table.matrix tbody tr.ok > th { border-left-color: var(--ok); }
table.matrix td.v { text-align: center; font-weight: 700; padding: 0; min-width: 4.5rem; }
table.matrix td.v a { display: block; padding: 0.25rem 0.5rem; text-decoration: none; }
table.matrix td.v.ok { background: var(--ok-bg); } table.matrix td.v.ok a { color: var(--ok); }
table.matrix td.v.critical { background: var(--critical-bg); } table.matrix td.v.critical a { color: var(--critical); }
table.matrix td.v.warning { background: var(--warning-bg); } table.matrix td.v.warning a { color: var(--warning); }
table.matrix td.v.unknown { background: var(--unknown-bg); color: var(--unknown); }
table.matrix tr.more td { font-size: 0.86rem; overflow-wrap: anywhere; }
table.events .time { white-space: nowrap; }
table.events td.message, table.verdicts td.message { overflow-wrap: anywhere; }

/* Phones: every table becomes stacked rows, each value after its column's name
   (data-label, render-table.ts), so nothing is cut off at 360 px. The matrix keeps
   its cells side by side under the domain's name. */
@media (max-width: 40rem) {
  body { padding: 0 0.6rem 1.5rem; }
  h2 { margin-top: 1.25rem; }
  .scroll { overflow-x: visible; }
  table, thead, tbody, tr, th, td, caption { display: block; width: auto; min-width: 0; }
  thead { position: absolute; left: -999rem; }
  tbody tr { border-bottom: 1px solid var(--border); padding: 0.3rem 0; }
  tbody th, tbody td { border: 0; padding: 0.1rem 0.25rem; white-space: normal; overflow-wrap: anywhere; }
  tbody [data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-weight: normal; }
  table.history .time, table.events .time, table.products td { white-space: normal; }
  /* The matrix: a flex line per row, the name taking what the cells leave; the header
     row is built the same way, so its product headings stay above their cells (and
     wrap the same way when many products leave no room for the name). */
  table.matrix thead { position: static; }
  table.matrix tr { display: flex; flex-wrap: wrap; gap: 0 0.15rem; }
  table.matrix thead th:first-child, table.matrix tbody tr > th { flex: 1 1 9rem; min-width: 0; }
  table.matrix thead th { flex: 0 0 3.1rem; font-size: 0.68rem; padding: 0 0.15rem; white-space: normal; overflow-wrap: anywhere; }
  table.matrix thead th code { white-space: normal; overflow-wrap: anywhere; font-size: 1em; }
  table.matrix tbody tr { padding: 0.1rem 0; }
  table.matrix tbody [data-label]::before { content: none; }
  table.matrix .tag .word { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  table.matrix td.v { flex: 0 0 3.1rem; min-width: 0; display: flex; align-items: center; justify-content: center; }
  table.matrix td.v a { padding: 0.1rem 0.2rem; }
  table.matrix tr.more td { flex: 1 1 100%; }
  header.top { padding-top: 0.5rem; }
  header.top .muted, .refresh-state { font-size: 0.78rem; }
  h2 { font-size: 1.1rem; }
  .answer { font-size: 0.95rem; }
  .summary li { flex-basis: 7rem; padding: 0.3rem 0.6rem; }
  .summary .figure { font-size: 1.1rem; }
  .card { padding: 0.6rem 0.7rem; }
  .bar { width: 6rem; }
}
footer { margin-top: 2rem; font-size: 0.85rem; color: var(--muted); }
@media print { .refresh-state, .skip { display: none; } }
`;
