/**
 * The human output of `kms-monitor probe`: what an admin used to `slmgr /dlv` and `vlmcs`
 * reads at a glance — per product the ePID and what it says about the host (OS build, when
 * its host key was installed), the HWID, the count against the threshold in words, the
 * intervals in minutes as slmgr shows them and in days/hours; on failure the reason, the
 * HRESULT with Microsoft's name and meaning, and what to do about it. A failure that is the
 * same for several products (the host refused the connection) is shown once for all of
 * them. What the host sent (ePID, messages) is escaped: a hostile host cannot drive the
 * terminal.
 */
import { escapeText } from '../cli/escape.js';
import { hostKey } from '../util/host-port.js';
import { tryParseEpid } from '../kms/epid.js';
import { describeHresult } from '../kms/hresult.js';
import type { KmsFailureReason, KmsProductResult } from '../kms/client/index.js';

/** What the command knows about a product beyond its slug. */
export interface ProductLabel {
  slug: string;
  name: string;
  /** The version the product sends first; a lower one in the result means a fallback. */
  protocol?: number;
}

const LABEL_WIDTH = 11;

function line(label: string, text: string): string {
  return `  ${label.padEnd(LABEL_WIDTH)}${text}\n`;
}

function more(text: string): string {
  return line('', text);
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** 10080 → '7 days', 120 → '2 hours', 90 → '1 hour 30 minutes', 45 → '45 minutes'. */
export function humanMinutes(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(plural(days, 'day'));
  if (hours > 0) parts.push(plural(hours, 'hour'));
  if (mins > 0 || parts.length === 0) parts.push(plural(mins, 'minute'));
  return parts.join(' ');
}

function ms(seconds: number | undefined): string {
  return seconds === undefined ? '-' : `${Math.round(seconds * 1000)} ms`;
}

/**
 * The count in words. The monitor's own CMID is one of the machines the host counts
 * (docs/design.md principle 2), and the table holds at most 2 × N entries (docs/protocol.md §5.1).
 */
export function describeCount(count: number, threshold: number): string {
  const head = `${count} / ${threshold}`;
  if (count >= 2 * threshold) {
    return `${head} — activating; at the cap of 2 × N, so at least ${count} machines asked (includes this monitor)`;
  }
  if (count >= threshold) {
    if (count - 1 < threshold) {
      return `${head} — activating, but only because this monitor is counted: ${count - 1} other machine(s)`;
    }
    return `${head} — activating (includes this monitor)`;
  }
  const missing = threshold - count;
  const more = missing === 1 ? '1 more machine asks' : `${missing} more machines ask`;
  return `${head} — below threshold: clients get 0xC004F038 until ${more} (includes this monitor)`;
}

/** What to look at for each failure reason (kms_error takes the HRESULT's own advice). */
const FIXES: Record<KmsFailureReason, string> = {
  no_address:
    'The host name has no A or AAAA record at the configured resolvers: the SRV record is stale, or the ' +
    "host's address record is missing from this DNS. Clients see 0xC004F074.",
  connect_refused:
    'Nothing listens on this port. On the host: is the Software Protection service running ' +
    '(sc query sppsvc) and is this its port (slmgr /dlv, "Listening on Port")? Is the SRV record stale? ' +
    'Windows clients see 0x800706BA / 0xC004F074.',
  connect_timeout:
    'No answer to the TCP connect: a firewall drops it or the host is down. Check the Windows Firewall ' +
    'rule "Key Management Service (TCP-In)" and the network path; clients see 0xC004F074.',
  network:
    'A network or name-resolution error on this machine: check DNS for the host name and the route to it.',
  connection_closed:
    'The host dropped the connection in the middle of the exchange: look at its Application and ' +
    'Software Protection event logs, and at anything in the path that resets connections (IPS, proxy).',
  bind_rejected:
    'Something answers RPC on this port but refuses the KMS interface: this is not the KMS port, or the ' +
    'service is not a KMS host (slmgr /dlv on the host).',
  rpc_fault:
    "The host's RPC runtime refused the call (see the status code): an overloaded or misconfigured host, " +
    'or a non-KMS RPC service.',
  kms_error: 'See the HRESULT above.',
  decrypt_failed:
    'The answer did not decrypt: not a genuine KMS host, or something alters the traffic. Do not trust its count.',
  verify_failed:
    'The answer failed its MAC / hash / HMAC check: not a genuine KMS host, or something alters the traffic. ' +
    'Do not trust its count.',
  mismatch:
    'The host did not echo the request (version, client ID or time): a broken emulator or a replayed answer.',
  malformed:
    'The bytes are not a KMS answer: another service listens on this port, or the host is broken.',
  unexpected:
    'The host broke the RPC protocol (wrong packet type or call id): a broken or non-Microsoft host.',
  timeout:
    'The host did not answer in time: overloaded, or not a KMS service. Retry with a larger --timeout.',
  aborted: 'The probe was interrupted.',
};

function describeEpid(epidText: string): string[] {
  const epid = tryParseEpid(epidText);
  if (epid === null) return ['not in the usual Microsoft form: a non-Microsoft host?'];
  const os = epid.hostOs ?? `unknown OS build ${epid.hostBuild}`;
  const out = [`host OS ${os} (build ${epid.hostBuild}), LCID ${epid.lcid}`];
  const installed = epid.keyInstallDate?.toISOString().slice(0, 10);
  const key = epid.csvlkHint === null ? 'host key' : `host key ${epid.csvlkHint}`;
  out.push(
    installed === undefined ? `${key}, install date unreadable` : `${key} installed ${installed}`,
  );
  return out;
}

function successBlock(r: KmsProductResult): string {
  let text = '';
  if (r.epid !== null) {
    text += line('ePID', escapeText(r.epid));
    for (const meaning of describeEpid(r.epid)) text += more(meaning);
  }
  text += line('HWID', r.hwid === null ? '(v4 and v5 answers carry none)' : escapeText(r.hwid));
  if (r.activeClients !== null) text += line('Count', describeCount(r.activeClients, r.threshold));
  if (r.activationIntervalMinutes !== null && r.renewalIntervalMinutes !== null) {
    text += line(
      'Intervals',
      `activation ${r.activationIntervalMinutes} min (${humanMinutes(r.activationIntervalMinutes)}), ` +
        `renewal ${r.renewalIntervalMinutes} min (${humanMinutes(r.renewalIntervalMinutes)})`,
    );
  }
  return text;
}

function failureBlock(r: KmsProductResult): string {
  const error = r.error;
  if (error === null) return '';
  let text = line('Reason', error.reason + (error.code === null ? '' : ` ${error.code}`));
  const info =
    error.reason === 'kms_error' && error.code !== null
      ? describeHresult(Number(error.code))
      : undefined;
  if (info !== undefined) {
    // The message repeats the table's words; show them once, split up.
    text += line('HRESULT', `${error.code} ${info.name}`);
    text += line('Meaning', info.meaning);
    text += line('Fix', info.fix);
  } else {
    text += line('Detail', escapeText(error.message));
    text += line('Fix', FIXES[error.reason]);
  }
  return text;
}

function timing(r: KmsProductResult): string {
  const p = r.phases;
  return `${ms(r.durationSeconds)} (connect ${ms(p.connect)}, bind ${ms(p.bind)}, request ${ms(p.request)})`;
}

function protocolText(r: KmsProductResult, label: ProductLabel): string {
  let protocol = r.protocol === null ? '' : `, protocol ${r.protocol}.0`;
  if (r.protocol !== null && label.protocol !== undefined && r.protocol < label.protocol) {
    protocol += ` (host answered 0x8007000D to ${label.protocol}.0)`;
  }
  return protocol;
}

export function formatProductResult(r: KmsProductResult, label: ProductLabel): string {
  const status = r.success ? 'OK' : 'FAILED';
  let text = `${label.slug} (${label.name}): ${status}${protocolText(r, label)}, ${timing(r)}\n`;
  text += r.success ? successBlock(r) : failureBlock(r);
  return text;
}

/** The products that failed the same way (reason, code, message, protocol) share a block. */
function failureKey(r: KmsProductResult, label: ProductLabel): string | null {
  if (r.success || r.error === null) return null;
  return JSON.stringify([r.error.reason, r.error.code, r.error.message, protocolText(r, label)]);
}

/** One block for several products: their names, then the failure once. */
function formatSharedFailure(
  results: readonly KmsProductResult[],
  labels: readonly ProductLabel[],
): string {
  const first = results[0] as KmsProductResult;
  const names = labels.map((l) => `${l.slug} (${l.name})`).join(', ');
  return `${names}: FAILED${protocolText(first, labels[0] as ProductLabel)}, ${timing(first)}\n${failureBlock(first)}`;
}

/** Where the name was resolved, when kms-monitor's own DNS client resolved it. */
export interface Resolution {
  resolvers: readonly string[];
  addresses: readonly string[];
}

/** The whole report: the host, one block per product (or per shared failure), a summary. */
export function formatProbeReport(
  target: { host: string; port: number },
  results: readonly KmsProductResult[],
  labels: ReadonlyMap<string, ProductLabel>,
  resolution?: Resolution,
): string {
  const address = results.find((r) => r.address !== null)?.address ?? null;
  let shown = address === null || address === target.host ? '' : ` (${address})`;
  if (resolution !== undefined) {
    const found = resolution.addresses.length > 0 ? resolution.addresses.join(', ') : 'no address';
    shown = ` (${found}, resolved by ${resolution.resolvers.join(', ')})`;
  }
  let text = `KMS host ${escapeText(hostKey(target))}${shown}\n\n`;
  const labelOf = (r: KmsProductResult): ProductLabel =>
    labels.get(r.product) ?? { slug: r.product, name: r.product };
  const groups = new Map<string, KmsProductResult[]>();
  for (const r of results) {
    const key = failureKey(r, labelOf(r));
    if (key !== null) groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const printed = new Set<string>();
  for (const r of results) {
    const key = failureKey(r, labelOf(r));
    const group = key === null ? undefined : groups.get(key);
    if (key === null || group === undefined || group.length === 1) {
      text += `${formatProductResult(r, labelOf(r))}\n`;
    } else if (!printed.has(key)) {
      printed.add(key);
      text += `${formatSharedFailure(group, group.map(labelOf))}\n`;
    }
  }
  const ok = results.filter((r) => r.success).length;
  text += `${ok} of ${results.length} product(s) answered.\n`;
  return text;
}
