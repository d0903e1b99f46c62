/** What every renderer needs besides its own piece of the view. */
import type { Assessment } from './assessment.js';

export interface RenderContext {
  /** Prefix that makes relative links work from the page's depth: '' on `/`, '../' below. */
  base: string;
  /** When the view was generated (ms), for "12 s ago". */
  now: number;
  assessment: Assessment;
}
