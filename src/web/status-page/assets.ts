/**
 * The stylesheet and script as static files of the monitor's own origin. Their URLs carry
 * a hash of the content, so a browser may cache them for long and still sees a new
 * version at once after an upgrade.
 */
import { createHash } from 'node:crypto';
import { REFRESH_SCRIPT } from './refresh-script.js';
import { STYLESHEET } from './styles.js';
import { HISTORY_STYLESHEET } from './styles-history.js';

/** The page's stylesheet and the history block's (kept in a file of its own). */
const PAGE_STYLESHEET = STYLESHEET + HISTORY_STYLESHEET;

export interface StaticAsset {
  /** Route path without the version query. */
  route: string;
  contentType: string;
  body: string;
}

function version(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 12);
}

export const STYLESHEET_ASSET: StaticAsset = {
  route: '/static/status.css',
  contentType: 'text/css; charset=utf-8',
  body: PAGE_STYLESHEET,
};

export const SCRIPT_ASSET: StaticAsset = {
  route: '/static/refresh.js',
  contentType: 'text/javascript; charset=utf-8',
  body: REFRESH_SCRIPT,
};

/** Relative to a page's base ('' or '../'). */
export const STYLESHEET_PATH = `static/status.css?v=${version(PAGE_STYLESHEET)}`;
export const SCRIPT_PATH = `static/refresh.js?v=${version(REFRESH_SCRIPT)}`;
