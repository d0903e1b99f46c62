/**
 * The one frame every table of the status page shares: a scrolling wrapper (a wide table
 * scrolls on a phone instead of widening the page), an optional caption, a header row of
 * column headings (`scope="col"`, so screen readers announce them with each cell) and the
 * body rows the caller built. Each page part decides only its class, headings and rows.
 */
import { html, join, type HtmlValue, type SafeHtml } from './html.js';

export interface TableParts {
  /** The class styles.ts gives this kind of table its look by; none for a plain table. */
  className?: string;
  caption?: HtmlValue;
  /** The column headings, left to right: text, or markup built with `html`. */
  columns: readonly HtmlValue[];
  /** The `<tr>` rows of the body. */
  rows: HtmlValue;
}

export function renderTable({ className, caption, columns, rows }: TableParts): SafeHtml {
  return html`<div class="scroll">
    <table${className ? html` class="${className}"` : ''}>
      ${
        caption
          ? html`<caption>
              ${caption}
            </caption>`
          : ''
      }
      <thead>
        <tr>
          ${join(
            columns.map((c) => html`<th scope="col">${c}</th>`),
            '\n',
          )}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}
