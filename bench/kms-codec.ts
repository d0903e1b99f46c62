// Throughput of the KMS payload codec per protocol version. One operation is a full
// exchange without sockets: client request encode → host request decode → host response
// encode → client response decode (with all checks). Run: npx tsx bench/kms-codec.ts
// Optional: BENCH_MS=<duration per version in ms> (default 2000).
import {
  decodeClientResponse,
  decodeServerRequest,
  encodeClientRequest,
  encodeServerResponse,
  makeBaseRequest,
} from '../src/kms/messages/index.js';

const DURATION_MS = Number(process.env['BENCH_MS'] ?? 2000);

const answer = {
  epid: '03612-00206-556-123727-03-1033-17763.0000-2972018',
  hwid: '3A1C049600B60076',
  activeClients: 50,
  activationIntervalMinutes: 120,
  renewalIntervalMinutes: 10080,
};

function exchange(protocol: number): void {
  const request = makeBaseRequest({
    protocol,
    applicationId: '55c92734-d682-4d71-983e-d6ec3f16059f',
    skuId: '2de67392-b7a7-462a-b1ca-108dd189f588',
    kmsCountedId: '58e2134f-8e11-4d17-9cb2-91069c151148',
    cmid: '8e5f0c1a-3b7d-4c2e-9a61-4f0b2d7c9e13',
    nPolicy: 25,
    workstation: 'kms-monitor.example.test',
  });
  const { payload, context } = encodeClientRequest(request);
  const host = decodeServerRequest(payload);
  const response = encodeServerResponse(host.context, answer);
  const result = decodeClientResponse(response, context);
  if (result.activeClients !== 50) throw new Error('round trip failed');
}

function measure(protocol: number): number {
  for (let i = 0; i < 2000; i++) exchange(protocol); // warm-up (JIT)
  let ops = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(DURATION_MS) * 1_000_000n;
  let now = start;
  while (now < until) {
    for (let i = 0; i < 200; i++) exchange(protocol);
    ops += 200;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

console.log(`node ${process.version}, ${DURATION_MS} ms per version`);
console.log('one op = client encode + host decode + host encode + client decode');
for (const protocol of [4, 5, 6]) {
  const rate = measure(protocol);
  console.log(
    `v${protocol}: ${Math.round(rate).toLocaleString('en-US')} exchanges/s (${(1e6 / rate).toFixed(1)} µs each)`,
  );
}
