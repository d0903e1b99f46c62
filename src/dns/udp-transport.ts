/**
 * One query over UDP, on a socket shared with the other queries in flight to the same
 * resolver (see udp-channel.ts). Retransmits within the deadline, vets every datagram
 * carrying its ID, and waits through strays: only a valid answer, a broken answer to this
 * very question, a socket error or the deadline ends it. At the deadline it is `timeout`
 * unless datagrams meant for this query (its ID, or its question with another ID) were
 * dropped: then the most telling of those names the failure.
 */
import { DnsFailure } from './errors.js';
import { encodeQuery, vetAnswer, type DnsQuestion, type DnsResponse } from './message.js';
import { resolverLabel, type ResolverAddress } from './resolver-address.js';
import { DropLog, type ExchangeOptions } from './transport-types.js';
import { questionKey, type UdpChannels } from './udp-channel.js';
import { TYPE } from './wire-check.js';

export function exchangeUdp(
  channels: UdpChannels,
  server: ResolverAddress,
  question: DnsQuestion,
  edns: boolean,
  options: ExchangeOptions,
): Promise<DnsResponse> {
  const label = resolverLabel(server);
  const started = performance.now();
  return new Promise<DnsResponse>((resolve, reject) => {
    const drops = new DropLog();
    let sends = 0;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;

    const timedOut = (): DnsFailure => {
      const waited = Math.round(performance.now() - started);
      const dropped = drops.strongest;
      if (dropped) {
        return new DnsFailure(
          dropped.reason,
          `no valid answer from ${label} within ${waited} ms; dropped ${drops.count} datagram(s), e.g. ${dropped.message}`,
        );
      }
      return new DnsFailure(
        'timeout',
        `no answer from ${label} within ${waited} ms (${sends} UDP attempt(s))`,
      );
    };

    if (options.signal?.aborted)
      return reject(new DnsFailure('timeout', `query to ${label} aborted`));
    if (options.deadline <= performance.now()) return reject(timedOut());

    const channel = channels.acquire(server);
    const settle = (failure: DnsFailure | null, response?: DnsResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // When this was the socket's last query, resolve only once the socket is closed,
      // so a finished lookup holds no handle.
      void channel
        .release(id)
        .then(() => (failure ? reject(failure) : resolve(response as DnsResponse)));
    };
    const onAbort = (): void => settle(new DnsFailure('timeout', `query to ${label} aborted`));

    const id = channel.register({
      question: questionKey(question.name, TYPE[question.type]),
      datagram(message) {
        const verdict = vetAnswer(message, query, wire);
        if (verdict.kind === 'answer') settle(null, verdict.response);
        else if (verdict.kind === 'fail') settle(verdict.failure);
        else drops.add(verdict.failure);
      },
      stray: (failure) => drops.add(failure),
      error: (failure) => settle(failure),
    });
    const query = { ...question, id, edns };
    const wire = encodeQuery(query);

    const send = (): void => {
      sends++;
      channel.send(wire);
      const remaining = options.deadline - performance.now();
      const attemptsLeft = Math.max(1, options.attempts - sends + 1);
      // Spread the remaining time evenly over the transmissions still allowed.
      timer = setTimeout(
        () => (sends < options.attempts ? send() : settle(timedOut())),
        Math.max(1, remaining / attemptsLeft),
      );
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    send();
  });
}

/** `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9` style text for socket errors. */
export function errorText(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
