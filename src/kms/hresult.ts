/**
 * The HRESULTs a KMS probe meets (docs/protocol.md §5.4), with Microsoft's symbolic name and
 * message, and what an admin does about each. Some appear in the RPC return value of a
 * host's answer; others only on Windows clients — they are here so dashboards, alerts and
 * the status page speak the same codes admins see in `slmgr /ato` and the event log.
 */

export interface HresultInfo {
  code: number;
  /** Microsoft's symbolic name (slerror.h / winerror.h). */
  name: string;
  /** Microsoft's message, shortened. */
  meaning: string;
  /** Where the monitor can see it: in a host's answer, or only on a Windows client. */
  seenIn: 'host-response' | 'client-only';
  /** What the admin should check or run. */
  fix: string;
}

/** The HRESULTs kms-monitor names, by what they mean; the table below describes each. */
export const HRESULT = {
  /** 0x00000000: success. */
  S_OK: 0x00000000,
  /** 0xc004f042: the host key does not cover the product (SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH). */
  KEY_NOT_COVERED: 0xc004f042,
  /** 0xc004f06c: the request time is too far from the host clock. */
  INVALID_TIMESTAMP: 0xc004f06c,
  /** 0x8007000d: the host does not know the protocol version. */
  INVALID_DATA: 0x8007000d,
  /** 0xc004d104: the host rejected an argument of the request. */
  INVALID_ARGUMENT: 0xc004d104,
  /** 0xc004f038: the count is below N. */
  COUNT_INSUFFICIENT: 0xc004f038,
  /** 0xc004f039: KMS is not enabled on the host. */
  BINDING_NOT_ENABLED: 0xc004f039,
  /** 0xc004f041: the KMS host itself is not activated. */
  HOST_NOT_ACTIVATED: 0xc004f041,
  /** 0xc004f074: no KMS host could be contacted. */
  NO_KMS_HOST: 0xc004f074,
  /** 0x800706ba: the RPC server is unavailable. */
  RPC_SERVER_UNAVAILABLE: 0x800706ba,
} as const;

const TABLE: readonly HresultInfo[] = [
  {
    code: HRESULT.S_OK,
    name: 'S_OK',
    meaning: 'Success: the host answered with its current count.',
    seenIn: 'host-response',
    fix: 'Nothing to do.',
  },
  {
    code: HRESULT.KEY_NOT_COVERED,
    name: 'SL_E_VL_KEY_MANAGEMENT_SERVICE_ID_MISMATCH',
    meaning:
      'The KMS host cannot activate this product: its host key (CSVLK) does not cover the KMS counted ID.',
    seenIn: 'host-response',
    fix:
      'Install a CSVLK that covers this product on the host (slmgr /ipk <CSVLK>, then slmgr /ato; ' +
      'for Office, the Office Volume License Pack first), or point these clients at a host that has one. ' +
      'Check the installed keys with slmgr /dlv all.',
  },
  {
    code: HRESULT.INVALID_TIMESTAMP,
    name: 'SL_E_VL_INVALID_TIMESTAMP',
    meaning:
      "The KMS host rejected the request's timestamp: client and host clocks are too far apart.",
    seenIn: 'host-response',
    fix: 'Fix time synchronisation on the host (and on the monitor): w32tm /query /status, w32tm /resync.',
  },
  {
    code: HRESULT.INVALID_DATA,
    name: 'ERROR_INVALID_DATA',
    meaning:
      'The data is invalid: the host does not understand the request, typically a protocol version newer than it speaks.',
    seenIn: 'host-response',
    fix:
      'The host is older than the product (e.g. a v6 request to a v5-only host). Probe with a lower --protocol, ' +
      'or update the host OS / host key for this product.',
  },
  {
    code: HRESULT.INVALID_ARGUMENT,
    name: 'SL_REMAPPING_SP_STATUS_INVALIDARG',
    meaning:
      'The security processor reported that invalid data was used (vlmcsd: its client table is full).',
    seenIn: 'host-response',
    fix:
      'Something sent the host too many distinct client IDs or an absurd N policy (vlmcsd answers this when its ' +
      '671-entry client table overflows). Find what sends random CMIDs or a large N; Windows hosts do not document it.',
  },
  {
    code: HRESULT.COUNT_INSUFFICIENT,
    name: 'SL_E_VL_NOT_ENOUGH_COUNT',
    meaning: 'The count reported by the KMS host is below the activation threshold.',
    seenIn: 'client-only',
    fix:
      'More machines must contact the host (25 Windows clients, 5 servers, 5 Office) within 30 days; ' +
      'check the count with slmgr /dlv on the host. Clients retry every activation interval.',
  },
  {
    code: HRESULT.BINDING_NOT_ENABLED,
    name: 'SL_E_VL_BINDING_SERVICE_NOT_ENABLED',
    meaning: 'The computer could not be activated: the Key Management Service is not enabled.',
    seenIn: 'client-only',
    fix:
      'On the host, check that the Software Protection service runs and a CSVLK is installed and activated ' +
      '(slmgr /dlv, which also shows the listening port); allow that port (default TCP 1688) through the firewall.',
  },
  {
    code: HRESULT.HOST_NOT_ACTIVATED,
    name: 'SL_E_VL_KEY_MANAGEMENT_SERVICE_NOT_ACTIVATED',
    meaning: 'The KMS host is not activated: it must be activated before it activates clients.',
    seenIn: 'client-only',
    fix: 'Activate the host key on the KMS host: slmgr /ato (or by phone: slui 4), then verify with slmgr /dlv.',
  },
  {
    code: HRESULT.NO_KMS_HOST,
    name: 'SL_E_VL_BINDING_SERVICE_UNAVAILABLE',
    meaning: 'The computer could not be activated: no Key Management Service could be contacted.',
    seenIn: 'client-only',
    fix:
      'Check the _vlmcs._tcp SRV records (nslookup -type=srv _vlmcs._tcp.<domain>), that each host answers ' +
      'on TCP 1688, and firewalls; a client can be pointed at a host with slmgr /skms <host>:1688.',
  },
  {
    code: HRESULT.RPC_SERVER_UNAVAILABLE,
    name: 'RPC_S_SERVER_UNAVAILABLE',
    meaning: 'The RPC server is unavailable: the TCP connection to the host failed.',
    seenIn: 'client-only',
    fix:
      'The host is down, filtered or the SRV record is stale: check the host, the Windows Firewall rule ' +
      '"Key Management Service (TCP-In)" and DNS.',
  },
];

const BY_CODE: ReadonlyMap<number, HresultInfo> = new Map(
  TABLE.map((i) => [i.code, Object.freeze(i)]),
);

/** Every known code, in table order. */
export function listHresults(): readonly HresultInfo[] {
  return [...BY_CODE.values()];
}

/** 0xC004F042 → '0xC004F042': uppercase, 8 hex digits; negative (signed) values as unsigned. */
export function formatHresult(code: number): string {
  const unsigned = Number.isFinite(code) ? Math.trunc(code) >>> 0 : 0;
  return `0x${unsigned.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** What the table knows about `code` (signed or unsigned form), or undefined. */
export function describeHresult(code: number): HresultInfo | undefined {
  if (!Number.isFinite(code)) return undefined;
  return BY_CODE.get(Math.trunc(code) >>> 0);
}

/** A one-line text for logs and the status page: '0xC004F042 SL_E_…: meaning' or just the code. */
export function hresultSummary(code: number): string {
  const info = describeHresult(code);
  return info === undefined
    ? formatHresult(code)
    : `${formatHresult(code)} ${info.name}: ${info.meaning}`;
}
