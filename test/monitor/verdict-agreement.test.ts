// One verdict, whatever renders it. Against dnsmasq (an independent DNS server) and lab KMS
// hosts, all on loopback, one lab holds every situation the verdict must get right: a
// healthy domain, a domain whose only host counts below N, three names (one a CNAME) for
// one machine, a dual-stack host whose A address is dead, a stale SRV target, no record,
// a host that refuses the product, two resolvers with different addresses for one host,
// and a host that goes down after it answered. For each domain, `check --json`, the
// status page, /api/v1/status and the kms_domain_* metrics must say the same thing, and
// that thing is the severity stated here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLabKmsHost, type LabKmsHost } from '../../src/lab/index.js';
import { EXIT_CODES, type Severity } from '../../src/monitor/evaluate.js';
import {
  dnsmasqAvailable,
  kmsSrvOwner,
  startDnsmasq,
  type Dnsmasq,
} from '../fixtures/dns-dnsmasq.js';
import { LOOPBACK_RESOLV_CONF, runCli, startServer, type RunningServer } from '../helpers/cli.js';
import { eventually, scrape, valueOf } from '../helpers/metrics.js';
import { pageVerdicts } from '../helpers/page-verdicts.js';
import { hostKey } from '../../src/util/host-port.js';
import { labProducts, writeConfig } from './lab-setup.js';

const PRODUCT = 'lab-windows';

/** Each lab host is its own machine: a hardware ID of its own (the ePID alone is shared). */
const machine = (n: number) => `2BC0C0FFEE${n.toString(16).toUpperCase().padStart(6, '0')}`;

interface Expected {
  status: Exclude<Severity, 'unknown'>;
  workingHosts: number;
  /** Every finding code that names the domain or a host it publishes. */
  codes: string[];
}

interface Finding {
  code: string;
  severity: string;
  domain?: string;
  host?: string;
  message: string;
}

interface ApiStatus {
  status: Severity;
  domainStatus: Record<string, Severity>;
  verdicts: { domain: string; product: string; workingHosts: number; status: Severity }[];
  findings: Finding[];
  hosts: {
    host: string;
    port: number;
    domains: string[];
    tcp: { up: boolean } | null;
    products: unknown[];
  }[];
}

interface CheckJson {
  status: Severity;
  exitCode: number;
  domainStatus: Record<string, Severity>;
  verdicts: ApiStatus['verdicts'];
  problems: Finding[];
  hosts: ApiStatus['hosts'];
}

/** The codes of the findings naming `domain` or a host it publishes, sorted, once each. */
function codesOf(
  domain: string,
  findings: readonly Finding[],
  hosts: ApiStatus['hosts'],
): string[] {
  const published = new Set(hosts.filter((h) => h.domains.includes(domain)).map(hostKey));
  const codes = findings
    .filter((f) => f.domain === domain || (f.host !== undefined && published.has(f.host)))
    .map((f) => f.code);
  return [...new Set(codes)].sort();
}

describe(
  'one verdict: check --json, the status page, /api/v1/status and the metrics agree',
  {
    skip: dnsmasqAvailable() ? false : 'dnsmasq is not installed',
    timeout: 240_000,
  },
  () => {
    let dns: Dnsmasq;
    let otherView: Dnsmasq;
    let hosts: Record<string, LabKmsHost>;
    let config: string;
    let server: RunningServer;

    before(async () => {
      hosts = {
        good1: await startLabKmsHost({ hwid: machine(1), counts: { windows: 30 } }),
        good2: await startLabKmsHost({ hwid: machine(2), counts: { windows: 30 } }),
        lonely: await startLabKmsHost({ hwid: machine(3), counts: { windows: 12 } }),
        three: await startLabKmsHost({ hwid: machine(4), counts: { windows: 30 } }),
        dual: await startLabKmsHost({ hwid: machine(5), address: '::1', counts: { windows: 30 } }),
        refused: await startLabKmsHost({
          hwid: machine(6),
          counts: { windows: 30 },
          refuse: [PRODUCT],
        }),
        views: await startLabKmsHost({ hwid: machine(7), counts: { windows: 30 } }),
        down: await startLabKmsHost({ hwid: machine(8), counts: { windows: 30 } }),
      };
      const srv = (domain: string, target: string, host: LabKmsHost) => ({
        name: kmsSrvOwner(domain),
        target,
        port: host.port,
      });
      dns = await startDnsmasq({
        srv: [
          srv('good.test', 'kms1.good.test', hosts.good1!),
          srv('good.test', 'kms2.good.test', hosts.good2!),
          srv('lonely.test', 'kms.lonely.test', hosts.lonely!),
          srv('three.test', 'kms1.three.test', hosts.three!),
          srv('three.test', 'kms2.three.test', hosts.three!),
          srv('three.test', 'alias.three.test', hosts.three!),
          srv('dual.test', 'kms.dual.test', hosts.dual!),
          srv('stale.test', 'gone.stale.test', hosts.good1!),
          srv('refused.test', 'kms.refused.test', hosts.refused!),
          srv('views.test', 'kms.views.test', hosts.views!),
          srv('down.test', 'kms.down.test', hosts.down!),
        ],
        hosts: [
          { name: 'kms1.good.test', addresses: ['127.0.0.1'] },
          { name: 'kms2.good.test', addresses: ['127.0.0.1'] },
          { name: 'kms.lonely.test', addresses: ['127.0.0.1'] },
          { name: 'kms1.three.test', addresses: ['127.0.0.1'] },
          { name: 'kms2.three.test', addresses: ['127.0.0.1'] },
          // Nothing listens on 127.0.0.77: a client tries it, fails, and falls back to ::1.
          { name: 'kms.dual.test', addresses: ['127.0.0.77', '::1'] },
          { name: 'kms.refused.test', addresses: ['127.0.0.1'] },
          { name: 'kms.views.test', addresses: ['127.0.0.1'] },
          { name: 'kms.down.test', addresses: ['127.0.0.1'] },
        ],
        cnames: [{ alias: 'alias.three.test', target: 'kms1.three.test' }],
        // gone.stale.test and every name in missing.test are NXDOMAIN.
        localDomains: ['stale.test', 'missing.test'],
      });
      // The second resolver of views.test knows the same record with a dead address.
      otherView = await startDnsmasq({
        srv: [srv('views.test', 'kms.views.test', hosts.views!)],
        hosts: [{ name: 'kms.views.test', addresses: ['127.0.0.78'] }],
      });
      const at = (d: Dnsmasq) => `127.0.0.1:${d.port}`;
      config = writeConfig({
        interval: '1s',
        kms_interval: '1s',
        resolvers: [at(dns)],
        domains: [
          'good.test',
          'lonely.test',
          'three.test',
          'dual.test',
          'stale.test',
          'missing.test',
          'refused.test',
          { name: 'views.test', resolvers: [at(dns), at(otherView)] },
          'down.test',
        ],
        products: labProducts([PRODUCT]),
      });
      server = await startServer('serve', [`--config.file=${config}`, '--log.level=info']);
    });

    after(async () => {
      await server?.stop();
      await Promise.all([
        dns?.stop(),
        otherView?.stop(),
        ...Object.values(hosts ?? {}).map((h) => h.close()),
      ]);
    });

    /** The API's state once `ready(view)` holds, then the page and metrics of the same moment. */
    async function settle(ready: (s: ApiStatus) => boolean) {
      const api = await eventually(
        'the expected state',
        async () => {
          const s = (await (await fetch(`${server.url}/api/v1/status`)).json()) as ApiStatus;
          return ready(s) ? s : undefined;
        },
        60_000,
      );
      // The page and the metrics render the evaluation of the same state: read them right after,
      // and again with the API last, until a round does not fall between the reads.
      for (;;) {
        const page = await (await fetch(`${server.url}/`)).text();
        const metrics = await scrape(server.url);
        const again = (await (await fetch(`${server.url}/api/v1/status`)).json()) as ApiStatus;
        if (JSON.stringify(again.domainStatus) === JSON.stringify(api.domainStatus) && ready(again))
          return { api: again, page, metrics };
      }
    }

    async function check(): Promise<CheckJson> {
      const run = await runCli([
        'check',
        `--config.file=${config}`,
        `--dns.resolv-conf=${LOOPBACK_RESOLV_CONF}`,
        '--json',
      ]);
      assert.ok(run.stdout.length > 0, `check printed nothing:\n${run.stderr}`);
      const out = JSON.parse(run.stdout) as CheckJson;
      assert.equal(run.code, out.exitCode, 'the exit code is the JSON verdict');
      return out;
    }

    function assertAgree(
      expected: Record<string, Expected>,
      { api, page, metrics }: Awaited<ReturnType<typeof settle>>,
      checked: CheckJson,
    ): void {
      const shown = pageVerdicts(page);
      for (const [domain, want] of Object.entries(expected)) {
        const said = {
          api: api.domainStatus[domain],
          check: checked.domainStatus[domain],
          page: shown.get(domain),
          metric: valueOf(metrics, 'kms_domain_status', { domain }),
        };
        assert.deepEqual(
          said,
          {
            api: want.status,
            check: want.status,
            page: want.status,
            metric: EXIT_CODES[want.status],
          },
          `${domain}: the verdict`,
        );
        const working = {
          api: api.verdicts.find((v) => v.domain === domain && v.product === PRODUCT)?.workingHosts,
          check: checked.verdicts.find((v) => v.domain === domain && v.product === PRODUCT)
            ?.workingHosts,
          metric: valueOf(metrics, 'kms_domain_product_working_hosts', {
            domain,
            product: PRODUCT,
          }),
        };
        assert.deepEqual(
          working,
          { api: want.workingHosts, check: want.workingHosts, metric: want.workingHosts },
          `${domain}: working hosts`,
        );
        assert.deepEqual(
          codesOf(domain, api.findings, api.hosts),
          [...want.codes].sort(),
          `${domain}: API findings`,
        );
        assert.deepEqual(
          codesOf(domain, checked.problems, checked.hosts),
          [...want.codes].sort(),
          `${domain}: check findings`,
        );
      }
      // The overall verdict is the worst domain's, in every output.
      assert.equal(checked.status, api.status);
    }

    const probedAll = (s: ApiStatus) =>
      s.hosts.length === 11 &&
      s.hosts.every((h) => h.tcp !== null && (h.tcp.up === false || h.products.length === 1));

    const BEFORE: Record<string, Expected> = {
      'good.test': { status: 'ok', workingHosts: 2, codes: [] },
      'lonely.test': {
        status: 'critical',
        workingHosts: 0,
        codes: ['all_below_threshold', 'count_below_threshold', 'single_host'],
      },
      // Three names, one machine: one working host, and no redundancy.
      'three.test': { status: 'warning', workingHosts: 1, codes: ['single_host'] },
      'dual.test': {
        status: 'warning',
        workingHosts: 1,
        codes: ['address_unreachable', 'single_host'],
      },
      'stale.test': {
        status: 'critical',
        workingHosts: 0,
        codes: ['no_working_host', 'single_host', 'srv_target_unresolvable'],
      },
      'missing.test': { status: 'critical', workingHosts: 0, codes: ['srv_missing'] },
      'refused.test': {
        status: 'critical',
        workingHosts: 0,
        codes: ['no_working_host', 'product_refused', 'single_host'],
      },
      'views.test': {
        status: 'warning',
        workingHosts: 1,
        codes: ['address_unreachable', 'single_host'],
      },
      'down.test': { status: 'warning', workingHosts: 1, codes: ['single_host'] },
    };

    it('every situation: the stated severity, in every output', async () => {
      const seen = await settle(probedAll);
      assertAgree(BEFORE, seen, await check());
      const lonely = seen.api.findings.find((f) => f.code === 'all_below_threshold');
      assert.match(
        lonely?.message ?? '',
        /^no host in lonely\.test can activate lab-windows: the only host: kms\.lonely\.test:\d+ counts \d+ of 25 \(0xC004F038\)$/,
      );
    });

    it('a host that goes down after it answered: CRITICAL at once, not WARNING from its last answer', async () => {
      await hosts['down']!.close();
      const downKey = `kms.down.test:${hosts['down']!.port}`;
      const seen = await settle((s) =>
        s.hosts.some((h) => hostKey(h) === downKey && h.tcp?.up === false),
      );
      const after = {
        ...BEFORE,
        'down.test': {
          status: 'critical' as const,
          workingHosts: 0,
          codes: ['host_down', 'no_working_host', 'single_host'],
        },
      };
      assertAgree(after, seen, await check());
      // The change is in the log as well: the host's finding raised, with its code.
      await server.waitForLog('"code":"host_down"', 10_000);
      assert.match(server.logs(), /"code":"host_down".*"msg":"finding raised"/);
    });
  },
);
