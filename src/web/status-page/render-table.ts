/**
 * The one frame every table of the status page shares: a scrolling wrapper, an optional
 * caption, a header row of column headings (`scope="col"`, so screen readers announce
 * them with each cell) and the body rows the caller built. Each page part decides only
 * its class, headings and rows.
 *
 * Every body cell also gets its column's heading as `data-label`: on a phone the
 * stylesheet turns rows into stacked blocks and shows the label before each value
 * (`content: attr(data-label)`), so no column is cut off and none needs inline style.
 */
import { html, join, type HtmlValue, type SafeHtml, trusted } from './html.js';

export interface TableParts {
  /** The class styles.ts gives this kind of table its look by; none for a plain table. */
  className?: string;
  caption?: HtmlValue;
  /** The column headings, left to right: text, or markup built with `html`. */
  columns: readonly HtmlValue[];
  /** The `<tr>` rows of the body. */
  rows: HtmlValue;
}

/** A heading's text as an attribute value: its markup without tags (still escaped text). */
function labelOf(column: HtmlValue): string {
  return html`${column}`.value
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Adds `data-label` to the cells of the rows. Only markup made by the templates can
 * contain `<td` or `<tr`: data is escaped, so a `<` from a host is `&lt;` here. Cells
 * spanning columns (summary lines) keep no label.
 */
function labelCells(rows: string, labels: readonly string[]): string {
  let index = 0;
  return rows.replace(
    /<(tr|td|th)(?=[\s>])([^>]*)>/g,
    (tag: string, name: string, attrs: string) => {
      if (name === 'tr') {
        index = 0;
        return tag;
      }
      const label = labels[index++];
      return label && !attrs.includes('colspan=') ? `<${name} data-label="${label}"${attrs}>` : tag;
    },
  );
}

export function renderTable({ className, caption, columns, rows }: TableParts): SafeHtml {
  const body = trusted(labelCells(html`${rows}`.value, columns.map(labelOf)));
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
        ${body}
      </tbody>
    </table>
  </div>`;
}
