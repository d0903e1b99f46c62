/** A panel's queries as Grafana targets (refId A, B, … in order). */
import { DS } from './filters.js';
import type { Json, JsonObject } from './json.js';

export interface Query {
  expr: string;
  legend?: string;
  /** Instant query rendered as a table (tables); default: range query (graphs). */
  table?: boolean;
}

export function targets(queries: Query[]): Json[] {
  return queries.map((q, i) => {
    const refId = String.fromCharCode(65 + i);
    const target: JsonObject = {
      datasource: DS,
      editorMode: 'code',
      expr: q.expr,
      refId,
    };
    if (q.table) {
      Object.assign(target, {
        format: 'table',
        instant: true,
        range: false,
        legendFormat: '__auto',
      });
    } else {
      Object.assign(target, { range: true, instant: false, legendFormat: q.legend ?? '__auto' });
    }
    return target;
  });
}
