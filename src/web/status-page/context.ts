/** What every renderer needs besides its own piece of the view. */
import type { Assessment } from './assessment.js';
import type { SafeHtml } from './html.js';

export interface RenderContext {
  /** Prefix that makes relative links work from the page's depth: '' on `/`, '../' below. */
  base: string;
  /** When the view was generated (ms), for "12 s ago". */
  now: number;
  assessment: Assessment;
  /** Fragments that repeat within one page (decoded ePIDs), made once per render. */
  memo: Map<string, SafeHtml>;
}
