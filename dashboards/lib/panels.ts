/**
 * The panel kinds the dashboard uses, each built from a named options object. A builder
 * returns a PanelSpec: what the panel shows and its size; layout.ts places it on the grid.
 */
import { thresholds, type Steps } from './field-config.js';
import type { Json, JsonObject } from './json.js';
import type { Query } from './targets.js';

/** Width (of 24 columns) and height in grid units. */
export interface Size {
  w: number;
  h: number;
}

export interface PanelSpec extends Size {
  type: string;
  title: string;
  description: string;
  queries: Query[];
  fieldConfig?: JsonObject;
  options?: JsonObject;
  transformations?: Json[];
}

interface Common {
  title: string;
  description: string;
  size: Size;
}

/** The fields every panel kind starts with. */
function head(type: string, o: Common, queries: Query[]): Omit<PanelSpec, 'fieldConfig'> {
  return { type, title: o.title, description: o.description, queries, ...o.size };
}

export interface TimeseriesOptions extends Common {
  queries: Query[];
  /** Default 'short'. */
  unit?: string;
  /** Stacked bars instead of lines. */
  bars?: boolean;
  overrides?: Json[];
  min?: number;
  links?: Json[];
}

export function timeseries(o: TimeseriesOptions): PanelSpec {
  return {
    ...head('timeseries', o, o.queries),
    fieldConfig: {
      defaults: {
        unit: o.unit ?? 'short',
        ...(o.min === undefined ? {} : { min: o.min }),
        ...(o.links ? { links: o.links } : {}),
        color: { mode: 'palette-classic' },
        custom: {
          drawStyle: o.bars ? 'bars' : 'line',
          fillOpacity: o.bars ? 80 : 10,
          lineWidth: 1,
          showPoints: 'never',
          spanNulls: false,
          stacking: { group: 'A', mode: o.bars ? 'normal' : 'none' },
        },
      },
      overrides: o.overrides ?? [],
    },
    options: {
      legend: { calcs: [], displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  };
}

export interface StateTimelineOptions extends Common {
  queries: Query[];
  mappings: Json[];
  links: Json[];
}

/** A 0/1 series as red/green bands over time. */
export function stateTimeline(o: StateTimelineOptions): PanelSpec {
  return {
    ...head('state-timeline', o, o.queries),
    fieldConfig: {
      defaults: {
        color: { mode: 'thresholds' },
        mappings: o.mappings,
        links: o.links,
        thresholds: thresholds([
          [null, 'red'],
          [1, 'green'],
        ]),
        custom: { fillOpacity: 80, lineWidth: 0 },
      },
      overrides: [],
    },
    options: {
      alignValue: 'left',
      mergeValues: true,
      rowHeight: 0.9,
      showValue: 'never',
      legend: { displayMode: 'list', placement: 'bottom', showLegend: false },
      tooltip: { mode: 'single', sort: 'none' },
    },
  };
}

export interface StatOptions extends Common {
  expr: string;
  /** Background colour by value. */
  steps: Steps;
  /** Default 'short'. */
  unit?: string;
}

/** One number, its background coloured by `steps`. */
export function stat(o: StatOptions): PanelSpec {
  return {
    ...head('stat', o, [{ expr: o.expr, table: false, legend: o.title }]),
    fieldConfig: {
      defaults: {
        unit: o.unit ?? 'short',
        color: { mode: 'thresholds' },
        mappings: [],
        thresholds: thresholds(o.steps),
      },
      overrides: [],
    },
    options: {
      colorMode: 'background',
      graphMode: 'none',
      justifyMode: 'center',
      orientation: 'auto',
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      textMode: 'value',
    },
  };
}

export interface TableOptions extends Common {
  /** Run as instant queries. */
  queries: Query[];
  fieldConfig: JsonObject;
  transformations: Json[];
}

export function table(o: TableOptions): PanelSpec {
  return {
    ...head(
      'table',
      o,
      o.queries.map((q) => ({ ...q, table: true })),
    ),
    fieldConfig: o.fieldConfig,
    options: { cellHeight: 'sm', showHeader: true, footer: { show: false, reducer: ['sum'] } },
    transformations: o.transformations,
  };
}
