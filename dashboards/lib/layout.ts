/**
 * Places rows of panels on Grafana's 24-column grid, top to bottom: each row gets a row
 * header, then its panels go left to right, wrapping at 24 columns; a column stack
 * (stats) fills the space beside a taller panel before the next line starts. Panel ids
 * count up from 1 in that order.
 */
import { DS } from './filters.js';
import type { Json, JsonObject } from './json.js';
import type { PanelSpec } from './panels.js';
import { targets } from './targets.js';

export interface Row {
  title: string;
  panels: PanelSpec[];
}

const COLUMNS = 24;

export function layout(rows: readonly Row[]): Json[] {
  const panels: Json[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({
      collapsed: false,
      gridPos: { h: 1, w: COLUMNS, x: 0, y },
      id: id++,
      panels: [],
      title: row.title,
      type: 'row',
    });
    y += 1;
    const heights = new Array<number>(COLUMNS).fill(y);
    for (const spec of row.panels) {
      let best = { x: 0, y: Number.POSITIVE_INFINITY };
      for (let x = 0; x + spec.w <= COLUMNS; x++) {
        const top = Math.max(...heights.slice(x, x + spec.w));
        if (top < best.y) best = { x, y: top };
      }
      for (let c = best.x; c < best.x + spec.w; c++) heights[c] = best.y + spec.h;
      const panel: JsonObject = {
        datasource: DS,
        description: spec.description,
        fieldConfig: spec.fieldConfig ?? { defaults: {}, overrides: [] },
        gridPos: { h: spec.h, w: spec.w, x: best.x, y: best.y },
        id: id++,
        options: spec.options ?? {},
        targets: targets(spec.queries),
        title: spec.title,
        type: spec.type,
      };
      if (spec.transformations) panel.transformations = spec.transformations;
      panels.push(panel);
    }
    y = Math.max(...heights);
  }
  return panels;
}
