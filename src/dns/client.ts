/**
 * DnsClient: one question to one server, the way a careful stub resolver asks it. UDP
 * first with EDNS0; a FORMERR from a server that does not speak EDNS is retried once
 * without it (RFC 6891 6.2.2); an answer with TC set is asked again over TCP. The rcode is
 * returned as is: turning NXDOMAIN or SERVFAIL into a verdict is the caller's business.
 */
import { randomFillSync } from 'node:crypto';
import { isIP } from 'node:net';
import { DnsFailure, asDnsFailure } from './errors.js';
import type { DnsQuestion, DnsResponse, SentQuery } from './message.js';
import { checkWireLimits } from './names.js';
import type { ResolverAddress } from './resolver-address.js';
import { exchangeTcp } from './tcp-transport.js';
import type { ExchangeOptions } from './transport-types.js';
import { UdpChannels } from './udp-channel.js';
import { exchangeUdp } from './udp-transport.js';

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_ATTEMPTS = 2;
/** The most a 2-byte TCP length can announce. */
export const DEFAULT_MAX_RESPONSE_BYTES = 65535;

export interface DnsClientOptions {
  /** Largest answer accepted over TCP, in bytes (default 65535). */
  maxResponseBytes?: number;
  /** Send EDNS0 with a 1232-byte buffer (default true). */
  edns?: boolean;
  /** Query ID source; tests inject fixed IDs. Default: crypto.randomInt. */
  randomId?: () => number;
  /** Queries one UDP socket carries before a fresh one (new random port) is used (default 100). */
  maxQueriesPerSocket?: number;
  /** Queries in flight on one UDP socket at once (default 64). */
  maxInFlightPerSocket?: number;
}

export interface QueryOptions {
  /** Absolute deadline on the performance.now() clock; wins over timeoutMs. */
  deadline?: number;
  /** Time allowed for this query, UDP retransmissions and TCP retry included (default 5000). */
  timeoutMs?: number;
  /** UDP transmissions within that time (default 2). */
  attempts?: number;
  signal?: AbortSignal;
}

export interface QueryAnswer {
  response: DnsResponse;
  transport: 'udp' | 'tcp';
}

/** Random 16-bit IDs drawn from a pooled buffer: crypto.randomInt per query costs more. */
const idPool = Buffer.alloc(2048);
let idOffset = idPool.length;
function randomQueryId(): number {
  if (idOffset >= idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  const id = idPool.readUInt16BE(idOffset);
  idOffset += 2;
  return id;
}

/** Whether a UDP answer needs another exchange: TC set, or FORMERR to our EDNS query. */
function needsRetry(response: DnsResponse, edns: boolean): boolean {
  return response.truncated || (response.rcode === 'FORMERR' && edns && !response.edns);
}

function rejectAsDnsFailure(error: unknown): never {
  throw asDnsFailure(error);
}

export class DnsClient {
  private readonly maxResponseBytes: number;
  private readonly edns: boolean;
  private readonly randomId: () => number;
  private readonly channels: UdpChannels;

  constructor(options: DnsClientOptions = {}) {
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.edns = options.edns ?? true;
    this.randomId = options.randomId ?? randomQueryId;
    this.channels = new UdpChannels({
      randomId: this.randomId,
      maxQueriesPerSocket: options.maxQueriesPerSocket ?? 100,
      maxInFlightPerSocket: options.maxInFlightPerSocket ?? 64,
    });
  }

  /**
   * Asks `server` one question. Resolves with the validated answer whatever its rcode;
   * rejects only with a DnsFailure (timeout, malformed, id_mismatch, question_mismatch,
   * truncated, network, unreachable).
   */
  query(
    server: ResolverAddress,
    question: DnsQuestion,
    options: QueryOptions = {},
  ): Promise<QueryAnswer> {
    // Not an async function (one frame less per query), yet it must never throw where an
    // async function would have rejected.
    try {
      return this.start(server, question, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private start(
    server: ResolverAddress,
    question: DnsQuestion,
    options: QueryOptions,
  ): Promise<QueryAnswer> {
    const exchange: ExchangeOptions = {
      deadline: options.deadline ?? performance.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      attempts: Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS),
      maxResponseBytes: this.maxResponseBytes,
      signal: options.signal,
    };
    if (
      isIP(server.address) === 0 ||
      !Number.isInteger(server.port) ||
      server.port < 1 ||
      server.port > 65535
    ) {
      return Promise.reject(
        new DnsFailure('network', `not a resolver address: ${JSON.stringify(server)}`),
      );
    }
    try {
      checkWireLimits(question.name);
    } catch (error) {
      // Only a name taken from a hostile answer can get here; user input is checked earlier.
      return Promise.reject(
        new DnsFailure(
          'malformed',
          `cannot ask for ${JSON.stringify(question.name)}: ${(error as Error).message}`,
        ),
      );
    }
    // The usual answer (UDP, not truncated, no EDNS fallback) is handed on in one then():
    // no async frame per query (measured a little cheaper than await here). The rare cases
    // continue in retry().
    return exchangeUdp(this.channels, server, question, this.edns, exchange).then(
      (response) =>
        needsRetry(response, this.edns)
          ? this.retry(server, question, exchange, response)
          : { response, transport: 'udp' as const },
      rejectAsDnsFailure,
    );
  }

  /** FORMERR from a server without EDNS: ask once more without it; TC: ask over TCP. */
  private async retry(
    server: ResolverAddress,
    question: DnsQuestion,
    exchange: ExchangeOptions,
    first: DnsResponse,
  ): Promise<QueryAnswer> {
    try {
      let response = first;
      if (response.rcode === 'FORMERR' && this.edns && !response.edns) {
        response = await exchangeUdp(this.channels, server, question, false, exchange);
      }
      if (!response.truncated) return { response, transport: 'udp' };
      return { response: await this.retryOverTcp(server, question, exchange), transport: 'tcp' };
    } catch (error) {
      throw asDnsFailure(error);
    }
  }

  private async retryOverTcp(
    server: ResolverAddress,
    question: DnsQuestion,
    exchange: ExchangeOptions,
  ): Promise<DnsResponse> {
    let response: DnsResponse;
    try {
      response = await exchangeTcp(server, this.sent(question, this.edns), exchange);
    } catch (error) {
      const failure = asDnsFailure(error);
      // Transport trouble after TC is reported as `truncated`; a broken or mismatching
      // TCP answer, or no route to the server, keeps its own, more precise reason.
      if (failure.reason === 'network' || failure.reason === 'timeout') {
        throw new DnsFailure(
          'truncated',
          `UDP answer was truncated (TC) and TCP failed: ${failure.message}`,
        );
      }
      throw failure;
    }
    if (response.truncated) {
      throw new DnsFailure('truncated', 'UDP answer was truncated (TC) and the TCP answer too');
    }
    return response;
  }

  private sent(question: DnsQuestion, edns: boolean): SentQuery {
    return { ...question, id: this.randomId() & 0xffff, edns };
  }
}
