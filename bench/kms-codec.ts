/**
 * The KMS payload codec without sockets, per protocol version: what the client's CPU per
 * exchange is made of once the network is taken away (docs/performance.md, KMS client CPU).
 *  - client: what a probe pays per exchange, the request written from its template into a
 *    PDU frame and the host's answer decoded with every check; baseline: the whole exchange
 *    of both sides (client encode, host decode, host encode, client decode);
 *  - v5 CBC: the table AES (key schedule expanded once) against node:crypto (OpenSSL,
 *    AES-NI) with a cipher object per message, the only way node:crypto offers (no
 *    reusable cipher object per key), over  a request's 240 B and about a response's.
 * CPU time, best of several rounds (the machine is shared; the best round is the one the
 * others disturbed least).
 *
 *   npm run bench -- kms-codec      node --import tsx bench/kms-codec.ts [--ms 300] [--rounds 7]
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { V5_CIPHER } from '../src/kms/crypto/kms-cipher.js';
import { V5_KEY } from '../src/kms/crypto/keys.js';
import {
  createRequestTemplate,
  decodeClientResponse,
  decodeServerRequest,
  encodeClientRequest,
  encodeServerResponse,
  makeBaseRequest,
} from '../src/kms/messages/index.js';
import type { RequestContext } from '../src/kms/messages/index.js';
import { requestFrame } from '../src/kms/rpc/index.js';
import { commandFor, figure, type BenchReport, type Figure } from './lib/figures.js';
import { benchMain } from './lib/main.js';

const BENCH = 'kms-codec';

const REQUEST = {
  applicationId: '55c92734-d682-4d71-983e-d6ec3f16059f',
  skuId: '2de67392-b7a7-462a-b1ca-108dd189f588',
  kmsCountedId: '58e2134f-8e11-4d17-9cb2-91069c151148',
  cmid: '8e5f0c1a-3b7d-4c2e-9a61-4f0b2d7c9e13',
  nPolicy: 25,
  workstation: 'kms-monitor.example.test',
};
const ANSWER = {
  epid: '03612-00206-556-123727-03-1033-17763.0000-2972018',
  hwid: '3A1C049600B60076',
  activeClients: 50,
  activationIntervalMinutes: 120,
  renewalIntervalMinutes: 10080,
};

/** Microseconds of CPU per call of `fn`: the best of `rounds` rounds of about `ms` each. */
function cpuMicros(fn: () => void, ms: number, rounds: number): number {
  for (let i = 0; i < 2000; i++) fn(); // warm-up (JIT)
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = process.cpuUsage();
    let spent = 0;
    while (spent < ms * 1000) {
      for (let i = 0; i < 200; i++) fn();
      calls += 200;
      const d = process.cpuUsage(start);
      spent = d.user + d.system;
    }
    best = Math.min(best, spent / calls);
  }
  return best;
}

/** The client's part of one exchange (as the probe runs it) and the whole exchange. */
function exchanges(protocol: number): { client: () => void; both: () => void } {
  const request = makeBaseRequest({ protocol, ...REQUEST });
  const template = createRequestTemplate(request);
  const frame = requestFrame('ndr32', 0, template.size);
  // One answer to decode over and over: the host's work is not the client's.
  const pdu = frame.open(2);
  const context: RequestContext = template.writeInto(pdu, frame.payloadAt, request.clientTime);
  const payload = pdu.subarray(frame.payloadAt, frame.payloadAt + template.size);
  const answer = encodeServerResponse(decodeServerRequest(payload).context, ANSWER);
  const client = (): void => {
    template.writeInto(frame.open(2), frame.payloadAt, request.clientTime);
    if (decodeClientResponse(answer, context).activeClients !== 50) throw new Error('decode');
  };
  const both = (): void => {
    const sent = encodeClientRequest(request);
    const host = decodeServerRequest(sent.payload);
    const response = encodeServerResponse(host.context, ANSWER);
    if (decodeClientResponse(response, sent.context).activeClients !== 50) throw new Error('rt');
  };
  return { client, both };
}

/** v5 CBC both ways: a request's 240 B encrypted, 224 B (about a response's ciphertext) decrypted. */
function v5Cbc(): { table: () => void; openssl: () => void } {
  const iv = Buffer.alloc(16, 0x11);
  const request = Buffer.alloc(240, 0x22);
  const response = Buffer.alloc(224, 0x33);
  const table = (): void => {
    V5_CIPHER.encryptCbcInPlace(iv, request);
    V5_CIPHER.decryptCbc(iv, response);
  };
  const openssl = (): void => {
    const e = createCipheriv('aes-128-cbc', V5_KEY, iv).setAutoPadding(false);
    e.update(request);
    e.final();
    const d = createDecipheriv('aes-128-cbc', V5_KEY, iv).setAutoPadding(false);
    d.update(response);
    d.final();
  };
  return { table, openssl };
}

export async function run(options: { ms: number; rounds: number }): Promise<BenchReport> {
  const { ms, rounds } = options;
  const command = commandFor(BENCH);
  const figures: Figure[] = [];
  for (const protocol of [4, 5, 6]) {
    const { client, both } = exchanges(protocol);
    figures.push(
      figure({
        id: `${BENCH}.v${protocol}.client`,
        bench: BENCH,
        name: `client codec CPU per v${protocol} exchange (request from its template, response decoded and checked)`,
        value: cpuMicros(client, ms, rounds),
        unit: 'µs',
        better: 'lower',
        baseline: {
          name: 'the whole exchange without sockets (client encode, host decode and encode, client decode)',
          value: cpuMicros(both, ms, rounds),
          unit: 'µs',
        },
        command,
      }),
    );
  }
  const cbc = v5Cbc();
  figures.push(
    figure({
      id: `${BENCH}.v5.cbc`,
      bench: BENCH,
      name: 'v5 AES-128-CBC of a request (240 B) and a response (224 B), table AES',
      value: cpuMicros(cbc.table, ms, rounds),
      unit: 'µs',
      better: 'lower',
      baseline: {
        name: 'node:crypto (OpenSSL) createCipheriv + createDecipheriv per message, same bytes',
        value: cpuMicros(cbc.openssl, ms, rounds),
        unit: 'µs',
      },
      command,
    }),
  );
  const notes = [
    `CPU time, best of ${rounds} rounds of ${ms} ms per figure; node ${process.version}`,
  ];
  return Promise.resolve({ bench: BENCH, figures, notes, failures: [] });
}

await benchMain(import.meta.url, { ms: 300, rounds: 7 }, run);
