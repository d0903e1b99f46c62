/**
 * What a failure means for the clients and what to do, for the page's failure boxes.
 * Nothing here is advice of the page's own: an HRESULT a host sent is explained by
 * Microsoft's table (src/kms/hresult.ts), and a failure that carries none by the findings
 * catalogue (src/monitor/findings.ts), which names the code its clients see.
 */
import { CONNECT_FAILURE_REASONS } from '../../kms/client/index.js';
import { describeHresult, type HresultInfo } from '../../kms/hresult.js';
import { FINDINGS, type FindingCode } from '../../monitor/findings.js';

const HEX_CODE = /^0x[0-9a-fA-F]{1,8}$/;

function infoOf(code: string | null | undefined): HresultInfo | undefined {
  if (typeof code !== 'string' || !HEX_CODE.test(code)) return undefined;
  return describeHresult(Number.parseInt(code.slice(2), 16));
}

/** The table entry for a '0xC004F042' string, or undefined. */
export function hresultInfo(code: string | null | undefined): HresultInfo | undefined {
  return infoOf(code);
}

/** For a failure without an HRESULT of its own: what a Windows client reports instead. */
export function clientSideInfo(reason: string | null | undefined): HresultInfo | undefined {
  return reason && (CONNECT_FAILURE_REASONS as ReadonlySet<string>).has(reason)
    ? infoOf(FINDINGS.host_down.clientsSee)
    : undefined;
}

/** The code clients see for a finding, explained (e.g. 0xC004F038 for a count below N). */
export function findingClientInfo(code: FindingCode): HresultInfo | undefined {
  return infoOf(FINDINGS[code].clientsSee);
}
