/**
 * The data source and the label filters every query uses, so that the dashboard's
 * variables narrow every panel: `$job` and `$instance` pick the monitor(s) (two monitors
 * would otherwise mix), `$domain`, `$host` and `$product` filter.
 */
import type { JsonObject } from './json.js';

export const DS: JsonObject = { type: 'prometheus', uid: '${datasource}' };

export const JI = 'job=~"$job", instance=~"$instance"';
export const D = 'domain=~"$domain"';
export const H = 'host=~"$host"';
export const P = 'product=~"$product"';
export const HP = `${H}, ${P}`;
