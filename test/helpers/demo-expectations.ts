/**
 * What the tests expect of each `kms-monitor demo` scenario (src/lab/demo-scenarios.ts):
 * the problems `check` lists, the SRV answer at each lab resolver, and what a probe of a
 * demo host finds. Only tests read these, so they live here and not in the product.
 */
import { DEMO_SCENARIOS } from '../../src/lab/demo-scenarios.js';
import type {
  DemoHostSpec,
  DemoPlannedProduct,
  DemoProduct,
  DemoResolver,
  DemoScenario,
  DemoStatus,
} from '../../src/lab/demo-scenarios.js';
import { labCounterOf, labProduct } from '../../src/lab/index.js';
import { DEMO_ADBA_FOREST } from '../../src/lab/adba/demo-adba.js';
import { SLAPD_BINARY } from '../../src/lab/adba/slapd.js';
import { existsSync } from 'node:fs';

/** A problem `check` (src/monitor/evaluate.ts) should report, matched by its fields. */
export interface DemoProblem {
  severity: Exclude<DemoStatus, 'ok'>;
  kind:
    | 'count_below_threshold'
    | 'product_failed'
    | 'host_down'
    | 'single_host'
    | 'no_record'
    | 'resolvers_disagree'
    | 'host_not_genuine'
    | 'host_suspicious'
    | 'host_not_allowed'
    | 'planned_not_ready'
    | 'replaced_host_published';
  /** The host's name (the reported key adds `:port`). */
  host?: string;
  product?: DemoProduct | DemoPlannedProduct;
  summary: string;
}

interface ScenarioExpectation {
  /** The problems `check` should list for it (empty when OK). */
  expectedProblems: readonly DemoProblem[];
  /** `_vlmcs._tcp` records each resolver returns; 0 with NXDOMAIN for `norecord`. */
  expectedRecords: Readonly<Record<DemoResolver, number>>;
  /** The SRV name's rcode at both resolvers. */
  expectedRcode: 'NOERROR' | 'NXDOMAIN';
}

export type ExpectedDemoScenario = DemoScenario & ScenarioExpectation;

const EXPECTATIONS: Readonly<Record<DemoScenario['key'], ScenarioExpectation>> = {
  healthy: {
    expectedProblems: [],
    expectedRecords: { a: 2, b: 2 },
    expectedRcode: 'NOERROR',
  },
  lowcount: {
    expectedProblems: [
      {
        severity: 'warning',
        kind: 'count_below_threshold',
        host: 'kms1.lowcount.kms-lab.test',
        product: 'lab-windows',
        summary: 'kms1 counts fewer than 25 clients for lab-windows',
      },
    ],
    expectedRecords: { a: 2, b: 2 },
    expectedRcode: 'NOERROR',
  },
  nooffice: {
    expectedProblems: [
      {
        severity: 'warning',
        kind: 'product_failed',
        host: 'kms1.nooffice.kms-lab.test',
        product: 'lab-office',
        summary: 'kms1 refuses lab-office: kms_error 0xC004F042',
      },
    ],
    expectedRecords: { a: 2, b: 2 },
    expectedRcode: 'NOERROR',
  },
  stale: {
    expectedProblems: [
      {
        severity: 'warning',
        kind: 'host_down',
        host: 'old-kms.stale.kms-lab.test',
        summary: 'old-kms is down: connect_refused (stale SRV record)',
      },
    ],
    expectedRecords: { a: 2, b: 2 },
    expectedRcode: 'NOERROR',
  },
  single: {
    expectedProblems: [
      { severity: 'warning', kind: 'single_host', summary: 'a single KMS host: no redundancy' },
    ],
    expectedRecords: { a: 1, b: 1 },
    expectedRcode: 'NOERROR',
  },
  norecord: {
    expectedProblems: [
      {
        severity: 'critical',
        kind: 'no_record',
        summary: 'no _vlmcs._tcp record: clients get 0xC004F074',
      },
    ],
    expectedRecords: { a: 0, b: 0 },
    expectedRcode: 'NXDOMAIN',
  },
  split: {
    expectedProblems: [
      {
        severity: 'warning',
        kind: 'resolvers_disagree',
        summary: 'resolvers A and B return different _vlmcs._tcp record sets',
      },
    ],
    expectedRecords: { a: 1, b: 2 },
    expectedRcode: 'NOERROR',
  },
  rogue: {
    expectedProblems: [
      {
        severity: 'critical',
        kind: 'host_not_genuine',
        host: 'router.rogue.kms-lab.test',
        summary: 'router answers a KMS counted ID nobody issued: not a genuine KMS host',
      },
      {
        severity: 'warning',
        kind: 'host_suspicious',
        host: 'router.rogue.kms-lab.test',
        summary: 'router echoes 2 × N, has vlmcsd’s HWID and ePID, accepts any client time',
      },
      {
        severity: 'warning',
        kind: 'host_not_allowed',
        host: 'router.rogue.kms-lab.test',
        summary: 'router is published but not in allowed_hosts',
      },
    ],
    expectedRecords: { a: 2, b: 2 },
    expectedRcode: 'NOERROR',
  },
  oldos: {
    expectedProblems: [
      {
        severity: 'warning',
        kind: 'planned_not_ready',
        product: 'lab-office-ltsc-2024',
        summary: 'Office LTSC 2024 cannot be hosted on Windows Server 2016 (14393)',
      },
      {
        severity: 'warning',
        kind: 'planned_not_ready',
        product: 'lab-windows-server-2025',
        summary: 'Windows Server 2025 cannot be hosted on Windows Server 2016 (14393)',
      },
    ],
    expectedRecords: { a: 2, b: 2 },
    expectedRcode: 'NOERROR',
  },
  noupdate: {
    expectedProblems: [
      {
        severity: 'warning',
        kind: 'planned_not_ready',
        product: 'lab-windows-server-2025',
        summary: 'install KB5034765',
      },
    ],
    expectedRecords: { a: 2, b: 2 },
    expectedRcode: 'NOERROR',
  },
  migrate: {
    expectedProblems: [
      {
        severity: 'warning',
        kind: 'replaced_host_published',
        host: 'kms-old.migrate.kms-lab.test',
        summary: 'kms-old is replaced by kms-new but still published',
      },
    ],
    expectedRecords: { a: 2, b: 2 },
    expectedRcode: 'NOERROR',
  },
};

/** The demo's scenarios with what the tests expect of each. */
export const EXPECTED_DEMO_SCENARIOS: readonly ExpectedDemoScenario[] = DEMO_SCENARIOS.map((s) => ({
  ...s,
  ...EXPECTATIONS[s.key],
}));

/**
 * Problems of the demo that belong to no scenario's domain: with slapd installed the demo
 * reads a lab ADBA forest (src/lab/adba/demo-adba.ts) whose forged-looking object is one.
 */
export const EXPECTED_DEMO_ESTATE_PROBLEMS: readonly {
  severity: Exclude<DemoStatus, 'ok'>;
  text: string;
}[] = existsSync(SLAPD_BINARY)
  ? [
      { severity: 'critical', text: `forest ${DEMO_ADBA_FOREST} looks forged` },
      {
        severity: 'warning',
        text: `forest ${DEMO_ADBA_FOREST} enables KMS counted IDs kms-monitor does not know`,
      },
    ]
  : [];

/** The status `check` should report for the whole demo: the worst scenario's. */
export const DEMO_EXPECTED_STATUS: DemoStatus = 'critical';

export function findDemoScenario(key: string): ExpectedDemoScenario | undefined {
  return EXPECTED_DEMO_SCENARIOS.find((s) => s.key === key || s.domain === key);
}

export function demoHosts(): DemoHostSpec[] {
  return DEMO_SCENARIOS.flatMap((s) => s.hosts);
}

/** What a probe of `product` on `spec` should find. */
export type DemoProbeExpectation =
  | {
      success: true;
      /** The count range a probe reports, with up to `extraClients` CMIDs asking besides the prefill. */
      activeClients: { min: number; max: number };
      threshold: number;
    }
  | { success: false; reason: 'kms_error'; code: '0xC004F042' }
  | { success: false; reason: 'connect_refused'; code: null };

/**
 * The expected outcome of probing `product` on a demo host.
 * `extraClients`: how many distinct CMIDs may have asked besides the prefill (the monitor
 * is one; a test probing with its own identity is another).
 */
export function expectedProbe(
  spec: DemoHostSpec,
  product: DemoProduct | DemoPlannedProduct,
  extraClients = 1,
): DemoProbeExpectation {
  if (spec.down) return { success: false, reason: 'connect_refused', code: null };
  if (spec.refuse?.includes(product)) {
    return { success: false, reason: 'kms_error', code: '0xC004F042' };
  }
  const { nPolicy } = labProduct(product);
  // An emulator echoing the count reports 2 × the request's N, whatever its table holds.
  if (spec.personality !== undefined) {
    return {
      success: true,
      activeClients: { min: 2 * nPolicy, max: 2 * nPolicy },
      threshold: nPolicy,
    };
  }
  const counter = labCounterOf(labProduct(product));
  const range = spec.counts[counter as 'windows' | 'office-2013+'] ?? { start: 0, min: 0, max: 0 };
  // The lab sizes a table at 2 × the largest N of the application's lab products (25, 5).
  const cap = counter === 'windows' ? 50 : 10;
  return {
    success: true,
    activeClients: {
      min: Math.min(cap, range.min + 1),
      max: Math.min(cap, range.max + extraClients),
    },
    threshold: labProduct(product).nPolicy,
  };
}
