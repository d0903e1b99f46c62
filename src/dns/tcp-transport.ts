/**
 * One query over TCP with RFC 1035 4.2.2 framing (a 2-byte length before each message).
 * Used when a UDP answer arrives with TC set. The stream is ours alone, so unlike UDP a
 * wrong answer on it ends the query at once; the advertised length is checked against the
 * response-size limit before anything is buffered.
 */
import net from 'node:net';
import { DnsFailure } from './errors.js';
import { encodeQuery, vetAnswer, type DnsResponse, type SentQuery } from './message.js';
import { resolverLabel, type ResolverAddress } from './resolver-address.js';
import type { ExchangeOptions } from './transport-types.js';
import { socketErrorReason } from './udp-channel.js';
import { errorText } from './udp-transport.js';

export function exchangeTcp(
  server: ResolverAddress,
  query: SentQuery,
  options: ExchangeOptions,
): Promise<DnsResponse> {
  const label = resolverLabel(server);
  const started = performance.now();
  return new Promise<DnsResponse>((resolve, reject) => {
    const wire = encodeQuery(query);
    const framed = Buffer.alloc(2 + wire.length);
    framed.writeUInt16BE(wire.length, 0);
    wire.copy(framed, 2);

    const chunks: Buffer[] = [];
    let received = 0;
    let expected = -1;
    let settled = false;
    const timer = setTimeout(
      () => {
        const waited = Math.round(performance.now() - started);
        settle(new DnsFailure('timeout', `no TCP answer from ${label} within ${waited} ms`));
      },
      Math.max(1, options.deadline - performance.now()),
    );
    const socket = new net.Socket();

    const settle = (failure: DnsFailure | null, response?: DnsResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      const done = (): void => (failure ? reject(failure) : resolve(response as DnsResponse));
      // Resolve only after 'close', so a finished query leaves no socket behind.
      if (socket.closed) return done();
      socket.once('close', done);
      socket.destroy();
    };
    const onAbort = (): void => settle(new DnsFailure('timeout', `TCP query to ${label} aborted`));

    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (expected < 0 && received >= 2) {
        expected = Buffer.concat(chunks).readUInt16BE(0);
        if (expected > options.maxResponseBytes) {
          return settle(
            new DnsFailure(
              'malformed',
              `${label} announced a ${expected}-byte TCP answer, above the ${options.maxResponseBytes}-byte limit`,
            ),
          );
        }
      }
      if (expected >= 0 && received >= 2 + expected) {
        const message = Buffer.concat(chunks).subarray(2, 2 + expected);
        const verdict = vetAnswer(message, query, wire);
        settle(
          verdict.kind === 'answer' ? null : verdict.failure,
          verdict.kind === 'answer' ? verdict.response : undefined,
        );
      }
    });
    socket.on('error', (error) => {
      const reason = socketErrorReason(error);
      const text = errorText(error);
      settle(
        new DnsFailure(
          reason,
          `TCP ${label}: ${reason === 'unreachable' ? `no route (${text})` : text}`,
        ),
      );
    });
    socket.on('end', () =>
      settle(
        new DnsFailure('network', `TCP ${label} closed the connection after ${received} byte(s)`),
      ),
    );
    socket.on('close', () =>
      settle(
        new DnsFailure('network', `TCP ${label} closed the connection after ${received} byte(s)`),
      ),
    );

    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.setNoDelay(true);
    socket.connect({ host: server.address, port: server.port }, () => {
      if (!settled) socket.write(framed);
    });
  });
}
