/**
 * What a failure means for the clients and what to do: Microsoft's HRESULT table
 * (src/kms/hresult.ts) for codes a host sent, and the code a Windows client would show
 * for failures that carry none (a down host gives no HRESULT to the monitor, but its
 * clients log 0x800706BA and, with no other host, 0xC004F074).
 */
import { describeHresult, type HresultInfo } from '../../kms/hresult.js';

const HEX_CODE = /^0x[0-9a-fA-F]{1,8}$/;

/** The table entry for a '0xC004F042' string, or undefined. */
export function hresultInfo(code: string | null | undefined): HresultInfo | undefined {
  if (typeof code !== 'string' || !HEX_CODE.test(code)) return undefined;
  return describeHresult(Number.parseInt(code.slice(2), 16));
}

/** Failure reasons of a KMS exchange or TCP probe → the code its clients see. */
const CLIENT_CODE_FOR_REASON: ReadonlyMap<string, number> = new Map([
  ['connect_refused', 0x800706ba],
  ['connect_timeout', 0x800706ba],
  ['network', 0x800706ba],
]);

/** For a failure without an HRESULT of its own: what a Windows client reports instead. */
export function clientSideInfo(reason: string | null | undefined): HresultInfo | undefined {
  const code = reason ? CLIENT_CODE_FOR_REASON.get(reason) : undefined;
  return code === undefined ? undefined : describeHresult(code);
}

/** 0xC004F038: what clients of a host below the threshold get. */
export function belowThresholdInfo(): HresultInfo | undefined {
  return describeHresult(0xc004f038);
}

/** 0xC004F074: what clients of a domain without a usable record get. */
export function noHostInfo(): HresultInfo | undefined {
  return describeHresult(0xc004f074);
}
