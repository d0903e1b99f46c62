/**
 * The updates an older KMS host needs before it activates newer clients (WSD-PLAN, "KMS host
 * required updates"; docs/coverage.md §3.3). Microsoft names the minimum; any later
 * cumulative update or monthly rollup of the host's OS also carries it.
 */
import type { HostOsId } from '../host-os.js';

export interface HostUpdate {
  /** 'KB5034765'. */
  kb: string;
  /** Microsoft's date of the update (ISO, or the month for a monthly rollup); null when not given. */
  date: string | null;
  url: string;
  /** The host release that needs it. */
  host: HostOsId;
  /** Product slugs it enables on that host. */
  products: readonly string[];
}

const WINDOWS_10_GROUPS = ['windows-10-11', 'windows-10-ltsb-2016', 'windows-10-ltsc-2019'];

// One row per (host, update), as Microsoft lists them; a product two rows name needs only
// the earlier update (see requiredUpdate).
export const HOST_UPDATES: readonly HostUpdate[] = Object.freeze([
  {
    kb: 'KB5034765',
    date: '2024-02-13',
    url: 'https://support.microsoft.com/help/5034765',
    host: 'server-2022',
    products: ['windows-server-2025'],
  },
  {
    kb: 'KB5034768',
    date: '2024-02-13',
    url: 'https://support.microsoft.com/help/5034768',
    host: 'server-2019',
    products: ['windows-server-2025'],
  },
  {
    kb: 'KB5003646',
    date: '2021-06-08',
    url: 'https://support.microsoft.com/help/5003646',
    host: 'server-2019',
    products: ['windows-server-2022'],
  },
  {
    kb: 'KB5003638',
    date: '2021-06-08',
    url: 'https://support.microsoft.com/help/5003638',
    host: 'server-2016',
    products: ['windows-server-2022', 'windows-server-2019'],
  },
  {
    kb: 'KB4478877',
    date: '2018-12-03',
    url: 'https://support.microsoft.com/help/4478877',
    host: 'server-2016',
    products: ['windows-server-2019'],
  },
  {
    kb: 'KB4467695',
    date: '2018-11-27',
    url: 'https://support.microsoft.com/help/4467695',
    host: 'server-2012-r2',
    products: ['windows-server-2019', 'windows-server-2016', ...WINDOWS_10_GROUPS],
  },
  {
    kb: 'KB3172614',
    date: '2016-07',
    url: 'https://support.microsoft.com/help/3172614',
    host: 'server-2012-r2',
    products: ['windows-server-2016', ...WINDOWS_10_GROUPS],
  },
  {
    kb: 'KB3172615',
    date: '2016-07',
    url: 'https://support.microsoft.com/help/3172615',
    host: 'server-2012',
    products: ['windows-server-2016', 'windows-server-2012-r2', ...WINDOWS_10_GROUPS],
  },
  {
    kb: 'KB3079821',
    date: null,
    url: 'https://support.microsoft.com/help/3079821',
    host: 'server-2008-r2',
    products: ['windows-server-2012-r2', 'windows-server-2012', ...WINDOWS_10_GROUPS],
  },
  {
    kb: 'KB3172614',
    date: '2016-07',
    url: 'https://support.microsoft.com/help/3172614',
    host: 'windows-8.1',
    products: WINDOWS_10_GROUPS,
  },
  {
    kb: 'KB3079821',
    date: null,
    url: 'https://support.microsoft.com/help/3079821',
    host: 'windows-7',
    products: WINDOWS_10_GROUPS,
  },
]);

/**
 * The update a host release needs before it activates a product, or null when it needs none.
 * Where two updates apply (Server 2016 → Server 2019: KB4478877 or KB5003638), the earliest
 * is the minimum Microsoft names, and every later cumulative update includes it.
 */
export function requiredUpdate(host: HostOsId, productSlug: string): HostUpdate | null {
  let found: HostUpdate | null = null;
  for (const u of HOST_UPDATES) {
    if (u.host !== host || !u.products.includes(productSlug)) continue;
    if (found === null || (u.date ?? '') < (found.date ?? '')) found = u;
  }
  return found;
}
