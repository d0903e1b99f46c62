/**
 * One query over UDP on its own connected socket. Connecting gives a fresh random source
 * port per query and makes the kernel discard datagrams from any other address, and it
 * turns an ICMP port-unreachable into a socket error (`network`) instead of silence.
 */
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { DnsFailure } from './errors.js';
import { encodeQuery, vetAnswer, type DnsResponse, type SentQuery } from './message.js';
import { resolverLabel, type ResolverAddress } from './resolver-address.js';
import { DropLog, type ExchangeOptions } from './transport-types.js';

export function exchangeUdp(
  server: ResolverAddress,
  query: SentQuery,
  options: ExchangeOptions,
): Promise<DnsResponse> {
  const label = resolverLabel(server);
  const started = performance.now();
  return new Promise<DnsResponse>((resolve, reject) => {
    const socket = dgram.createSocket(isIP(server.address) === 6 ? 'udp6' : 'udp4');
    const wire = encodeQuery(query);
    const drops = new DropLog();
    let sends = 0;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;

    const settle = (failure: DnsFailure | null, response?: DnsResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('message');
      // Resolve only once the socket is closed, so a finished lookup holds no handle.
      socket.close(() => (failure ? reject(failure) : resolve(response as DnsResponse)));
    };

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

    const send = (): void => {
      sends++;
      socket.send(wire, (error) => {
        if (error) settle(new DnsFailure('network', `sending to ${label}: ${errorText(error)}`));
      });
      const remaining = options.deadline - performance.now();
      const attemptsLeft = Math.max(1, options.attempts - sends + 1);
      // Spread the remaining time evenly over the transmissions still allowed.
      timer = setTimeout(
        () => (sends < options.attempts ? send() : settle(timedOut())),
        Math.max(1, remaining / attemptsLeft),
      );
    };

    const onAbort = (): void => settle(new DnsFailure('timeout', `query to ${label} aborted`));

    socket.on('message', (message: Buffer) => {
      const verdict = vetAnswer(message, query);
      if (verdict.kind === 'answer') settle(null, verdict.response);
      else if (verdict.kind === 'fail') settle(verdict.failure);
      else drops.add(verdict.failure);
    });
    socket.on('error', (error) =>
      settle(new DnsFailure('network', `${label}: ${errorText(error)}`)),
    );

    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.deadline <= performance.now()) return settle(timedOut());
    socket.connect(server.port, server.address, () => {
      if (!settled) send();
    });
  });
}

/** `ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)` style text for socket errors. */
export function errorText(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
