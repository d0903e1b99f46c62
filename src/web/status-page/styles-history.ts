/**
 * The stylesheet of the history block and its sparklines (appended to the page's own,
 * whose colour variables it uses, in ./assets.ts). SVG is styled here, not by attributes
 * in the markup, so the dark scheme applies and the markup stays free of colours.
 */
export const HISTORY_STYLESHEET = `
/* history: sparklines */
.spark-products { list-style: none; padding: 0; margin: 0; }
.spark-products > li { border-top: 1px solid var(--border); padding: .25rem 0; }
.spark-products p { margin: .25rem 0; }
.spark-pair { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; }
.spark-pair figure { margin: 0; }
.spark-pair figcaption { font-size: .85em; }
svg.spark { display: block; max-width: 100%; height: auto; overflow: visible; }
svg.spark .spark-line { fill: none; stroke: var(--link); stroke-width: 1.5; stroke-linejoin: round; stroke-linecap: round; }
svg.spark.spark-latency .spark-line { stroke: var(--muted); }
svg.spark .spark-threshold { stroke: var(--warning); stroke-width: 1; stroke-dasharray: 3 2; }
svg.spark .spark-fail { fill: none; stroke: var(--critical); stroke-width: 1.5; }
.host-history .since { white-space: nowrap; }
`;
