/**
 * The filters of the matrix on `/`, as query parameters, so they work without
 * JavaScript: links and a GET form set them. Each is checked strictly (src/web/query.ts):
 * a misspelt status, a product the monitor does not probe, a search with characters no
 * domain name has, a page out of range are 400s naming the parameter, like `?refresh`.
 */
import type { Severity } from '../../monitor/evaluate.js';
import { integerParam, QueryError, type QuerySpec } from '../query.js';

/** `problem` is every status but ok. */
export const STATUS_FILTERS = ['problem', 'critical', 'unknown', 'warning', 'ok'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface MatrixFilter {
  status: StatusFilter | null;
  /** A product slug of the view: the matrix shows that column only. */
  product: string | null;
  /** Part of a domain name, any case ('' for none). */
  domain: string;
  /** 1-based page of the filtered rows. */
  page: number;
}

export const NO_FILTER: MatrixFilter = { status: null, product: null, domain: '', page: 1 };

/** The largest page number a link can name: 1,000,000 domains at 50 a page. */
const MAX_PAGE = 20_000;

export const FILTER_QUERY: QuerySpec = {
  status: {
    kind: 'string',
    minLength: 1,
    maxLength: 8,
    pattern: new RegExp(`^(?:${STATUS_FILTERS.join('|')})$`),
  },
  // Product slugs are lower-case words joined by dashes (src/kms/products/).
  product: { kind: 'string', minLength: 1, maxLength: 64, pattern: /^[a-z0-9][a-z0-9._-]*$/ },
  // What a domain name may contain; empty is what an empty search box sends.
  domain: { kind: 'string', maxLength: 253, pattern: /^[A-Za-z0-9._-]*$/ },
  page: integerParam(1, MAX_PAGE),
};

/** Query values as strictQuery parsed them → the filter; a product not probed is a 400. */
export function filterOf(
  query: { status?: string; product?: string; domain?: string; page?: number },
  products: readonly string[],
): MatrixFilter {
  const product = query.product ?? null;
  if (product !== null && !products.includes(product)) {
    throw new QueryError(
      `query parameter product must be a product the monitor probes (${products.join(', ') || 'none'}), got ${JSON.stringify(product)}`,
    );
  }
  return {
    status: (query.status as StatusFilter | undefined) ?? null,
    product,
    domain: (query.domain ?? '').toLowerCase(),
    page: query.page ?? 1,
  };
}

export function isFiltered(f: MatrixFilter): boolean {
  return f.status !== null || f.product !== null || f.domain !== '' || f.page !== 1;
}

export function statusMatches(filter: StatusFilter | null, severity: Severity): boolean {
  if (filter === null) return true;
  return filter === 'problem' ? severity !== 'ok' : severity === filter;
}

/**
 * A link to `/` with `f` changed by `change` (a new filter goes back to page 1). Relative
 * to the page's base, so it survives a reverse proxy's prefix.
 */
export function filterHref(base: string, f: MatrixFilter, change: Partial<MatrixFilter>): string {
  const next = { ...f, page: 1, ...change };
  const params = new URLSearchParams();
  if (next.status !== null) params.set('status', next.status);
  if (next.product !== null) params.set('product', next.product);
  if (next.domain !== '') params.set('domain', next.domain);
  if (next.page !== 1) params.set('page', String(next.page));
  const query = params.toString();
  const root = base === '' ? './' : base;
  return query === '' ? root : `${root}?${query}`;
}
