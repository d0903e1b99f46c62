// The lab's authoritative DNS server: answers like a real one (checked with dig and with the
// project's own client), changes at run time, survives hostile input, listens on loopback
// only and leaves nothing behind when closed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket } from 'dns-packet';
import {
  addressRecords,
  kmsSrvRecord,
  startDnsZoneServer,
  DnsZoneError,
} from '../../src/lab/dns-zone-server.js';
import type { DnsZoneServer, ZoneRecord } from '../../src/lab/dns-zone-server.js';
import { NonLoopbackAddressError } from '../../src/lab/loopback.js';
import { DnsClient, lookupSrv } from '../../src/dns/index.js';
import { digAddresses, digSrv } from '../dns/dig.js';
import { dnsPacketQuery as query } from '../helpers/dns-packet-query.js';
import {
  activeResources,
  assertNothingLeftOpen,
  settleHandles,
  withoutLeaks,
} from '../helpers/leaks.js';
import { seededRandom } from '../helpers/seeded-random.js';

const run = promisify(execFile);
const ZONE = 'alpha.kms-lab.test';
const SRV_NAME = `_vlmcs._tcp.${ZONE}`;

function alphaZone(): ZoneRecord[] {
  return [
    kmsSrvRecord(ZONE, { target: `kms1.${ZONE}`, port: 1688, priority: 0, weight: 60, ttl: 300 }),
    kmsSrvRecord(ZONE, { target: `kms2.${ZONE}`, port: 2688, priority: 10, weight: 40 }),
    ...addressRecords(`kms1.${ZONE}`, ['127.0.0.1', '::1']),
    ...addressRecords(`kms2.${ZONE}`, ['127.0.0.2']),
    // An address only: the name exists, its SRV does not.
    ...addressRecords(`www.${ZONE}`, ['127.0.0.9']),
  ];
}

async function withServer<T>(
  work: (server: DnsZoneServer) => Promise<T>,
  zones: Record<string, ZoneRecord[]> = { [ZONE]: alphaZone(), 'empty.kms-lab.test': [] },
): Promise<T> {
  const server = await startDnsZoneServer({ zones });
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

/** Sends one datagram; resolves with the answer, or null after `timeoutMs` of silence. */
function udpAsk(port: number, bytes: Uint8Array, timeoutMs = 3000): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => finish(null), timeoutMs);
    function finish(answer: Buffer | null): void {
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    }
    socket.on('error', () => finish(null));
    socket.on('message', (message) => finish(message));
    socket.send(bytes, port, '127.0.0.1');
  });
}

/** Writes raw bytes over TCP; resolves with every framed answer received until `count` or close. */
function tcpExchange(
  port: number,
  chunks: Uint8Array[],
  count: number,
  timeoutMs = 5000,
): Promise<{ answers: Buffer[]; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let received = Buffer.alloc(0);
    const answers: Buffer[] = [];
    let done = false;
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(closed: boolean): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ answers, closed });
    }
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        answers.push(received.subarray(2, 2 + received.readUInt16BE(0)));
        received = received.subarray(2 + received.readUInt16BE(0));
      }
      if (answers.length >= count) finish(false);
    });
    socket.on('connect', async () => {
      for (const [i, chunk] of chunks.entries()) {
        if (done) return;
        socket.write(chunk);
        if (i < chunks.length - 1) await new Promise((r) => setTimeout(r, 5));
      }
    });
  });
}

function framed(bytes: Uint8Array): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(bytes.length);
  return Buffer.concat([prefix, bytes]);
}

function rcodeOf(answer: Buffer): number {
  return answer.readUInt16BE(2) & 0xf;
}

function decode(answer: Buffer | null): DecodedPacket {
  assert.ok(answer, 'expected an answer');
  return dnsPacket.decode(answer);
}

/** dns-packet decodes the rcode but its types do not declare it. */
function rcode(packet: DecodedPacket): string {
  return (packet as DecodedPacket & { rcode: string }).rcode;
}

function srvTargets(answers: Answer[] | undefined): string[] {
  return (answers ?? []).flatMap((a) => (a.type === 'SRV' ? [a.data.target] : [])).sort();
}

async function dig(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('dig', [
    '@127.0.0.1',
    '-p',
    String(port),
    '+tries=1',
    '+time=3',
    ...args,
  ]);
  return stdout;
}

describe('lab DNS zone server', { timeout: 120_000 }, () => {
  it('answers SRV with the targets’ A and AAAA as glue, echoing ID and question, AA set', () =>
    withServer(async (server) => {
      // Mixed case: the question must come back byte for byte (RFC 4343, 0x20 clients).
      const asked = '_VLMCS._tcp.Alpha.KMS-lab.test';
      const answer = await udpAsk(server.port, query(asked, 'SRV', { id: 777, edns: true }));
      const packet = decode(answer);
      assert.equal(packet.id, 777);
      assert.equal(packet.type, 'response');
      assert.equal(packet.flag_aa, true);
      assert.equal(packet.flag_rd, true, 'RD is copied from the query');
      assert.equal(rcode(packet), 'NOERROR');
      assert.deepEqual(packet.questions, [{ name: asked, type: 'SRV', class: 'IN' }]);
      assert.deepEqual(srvTargets(packet.answers), [`kms1.${ZONE}`, `kms2.${ZONE}`]);
      const srv = packet.answers?.find((a) => a.type === 'SRV' && a.data.port === 1688);
      assert.ok(srv && srv.type === 'SRV');
      assert.deepEqual(srv.data, {
        priority: 0,
        weight: 60,
        port: 1688,
        target: `kms1.${ZONE}`,
      });
      assert.equal(srv.ttl, 300);
      const glue = (packet.additionals ?? [])
        .filter((a) => a.type === 'A' || a.type === 'AAAA')
        .map((a) => `${a.name} ${a.type} ${a.type === 'A' || a.type === 'AAAA' ? a.data : ''}`)
        .sort();
      assert.deepEqual(glue, [
        `kms1.${ZONE} A 127.0.0.1`,
        `kms1.${ZONE} AAAA ::1`,
        `kms2.${ZONE} A 127.0.0.2`,
      ]);
      assert.ok(
        packet.additionals?.some((a) => a.type === 'OPT'),
        'an EDNS query gets an OPT back',
      );
    }));

  it('answers A and AAAA, and NOERROR with the SOA for a name without that type', () =>
    withServer(async (server) => {
      const a = decode(await udpAsk(server.port, query(`kms1.${ZONE}`, 'A')));
      assert.deepEqual(
        a.answers?.map((r) => (r.type === 'A' ? r.data : null)),
        ['127.0.0.1'],
      );
      const aaaa = decode(await udpAsk(server.port, query(`kms1.${ZONE}`, 'AAAA')));
      assert.deepEqual(
        aaaa.answers?.map((r) => (r.type === 'AAAA' ? r.data : null)),
        ['::1'],
      );
      for (const [name, type] of [
        [`kms2.${ZONE}`, 'AAAA'],
        [`www.${ZONE}`, 'SRV'],
        // An empty non-terminal exists (RFC 8020): not NXDOMAIN.
        [`_tcp.${ZONE}`, 'SRV'],
        [ZONE, 'A'],
      ] as const) {
        const packet = decode(await udpAsk(server.port, query(name, type)));
        assert.equal(rcode(packet), 'NOERROR', `${name} ${type}`);
        assert.equal(packet.flag_aa, true);
        assert.deepEqual(packet.answers, []);
        const soa = packet.authorities?.[0];
        assert.ok(soa && soa.type === 'SOA', `${name} ${type}: SOA in authority`);
        assert.equal(soa.name, ZONE);
        assert.equal(soa.ttl, 30, 'negative TTL = min(SOA TTL, MINIMUM)');
      }
      const soa = decode(await udpAsk(server.port, query(ZONE, 'SOA')));
      assert.equal(soa.answers?.[0]?.type, 'SOA');
    }));

  it('NXDOMAIN with the SOA for a missing name in a zone; REFUSED outside its zones', () =>
    withServer(async (server) => {
      for (const name of ['_vlmcs._tcp.empty.kms-lab.test', `nothing.${ZONE}`, `x.kms1.${ZONE}`]) {
        const packet = decode(await udpAsk(server.port, query(name, 'SRV')));
        assert.equal(rcode(packet), 'NXDOMAIN', name);
        assert.equal(packet.flag_aa, true);
        assert.equal(packet.authorities?.[0]?.type, 'SOA');
      }
      for (const name of ['example.com', 'kms-lab.test', 'test', `${ZONE}.example`]) {
        const packet = decode(await udpAsk(server.port, query(name, 'A')));
        assert.equal(rcode(packet), 'REFUSED', name);
        assert.equal(packet.flag_aa, false);
        assert.deepEqual(packet.answers, []);
        assert.equal(packet.questions?.[0]?.name, name);
      }
    }));

  it('speaks TCP with 2-byte framing: pipelined queries, a query split into single bytes', () =>
    withServer(async (server) => {
      const two = Buffer.concat([
        framed(query(SRV_NAME, 'SRV', { id: 1 })),
        framed(query(`kms2.${ZONE}`, 'A', { id: 2 })),
      ]);
      const pipelined = await tcpExchange(server.port, [two], 2);
      assert.deepEqual(
        pipelined.answers.map((a) => a.readUInt16BE(0)),
        [1, 2],
      );
      assert.deepEqual(srvTargets(decode(pipelined.answers[0] ?? null).answers), [
        `kms1.${ZONE}`,
        `kms2.${ZONE}`,
      ]);
      const bytes = framed(query(SRV_NAME, 'SRV', { id: 3 }));
      const split = await tcpExchange(
        server.port,
        [...bytes].map((b) => Uint8Array.of(b)),
        1,
        20_000,
      );
      assert.equal(split.answers.length, 1);
      assert.equal(decode(split.answers[0] ?? null).id, 3);
      assert.ok(server.stats().tcpQueries >= 3);
    }));

  it('sets TC when a UDP answer does not fit; TCP carries it whole; the client follows', async () => {
    const zone = 'big.kms-lab.test';
    const records: ZoneRecord[] = [];
    for (let i = 0; i < 12; i++) {
      records.push(kmsSrvRecord(zone, { target: `kms${i}.${zone}`, port: 1688 + i }));
      records.push(...addressRecords(`kms${i}.${zone}`, [`127.0.1.${i + 1}`]));
    }
    await withServer(
      async (server) => {
        const udp = decode(await udpAsk(server.port, query(`_vlmcs._tcp.${zone}`, 'SRV')));
        assert.equal(udp.flag_tc, true);
        assert.deepEqual(udp.answers, []);
        const tcp = await tcpExchange(
          server.port,
          [framed(query(`_vlmcs._tcp.${zone}`, 'SRV'))],
          1,
        );
        const whole = decode(tcp.answers[0] ?? null);
        assert.equal(whole.flag_tc, false);
        assert.equal(srvTargets(whole.answers).length, 12);
        assert.equal(whole.additionals?.length, 12, 'glue fits over TCP');
        const [result] = await lookupSrv(zone, {
          resolvers: [{ address: '127.0.0.1', port: server.port }],
          timeoutMs: 10_000,
        });
        assert.equal(result?.records.length, 12);
        // With EDNS (1232 bytes) the SRV set alone fits: glue is dropped, no TC needed, and
        // the client asks for the addresses itself.
        assert.equal(result?.transport, 'udp');
        assert.deepEqual(result?.records.find((r) => r.port === 1688)?.addresses, ['127.0.1.1']);
        assert.ok(server.stats().truncated >= 1);
      },
      { [zone]: records },
    );
  });

  it('a 10,000-record SRV set is cut to what fits in 65,535 bytes, and the monitor’s limit applies', async () => {
    const zone = 'hostile.kms-lab.test';
    const records: ZoneRecord[] = [{ type: 'A', name: `h.${zone}`, address: '127.0.0.1' }];
    for (let i = 0; i < 10_000; i++) {
      records.push(kmsSrvRecord(zone, { target: `h.${zone}`, port: 1 + i }));
    }
    await withServer(
      async (server) => {
        const started = performance.now();
        const [result] = await lookupSrv(zone, {
          resolvers: [{ address: '127.0.0.1', port: server.port }],
          timeoutMs: 20_000,
          recordLimit: 100,
        });
        assert.equal(result?.rcode, 'NOERROR');
        assert.equal(result?.transport, 'tcp');
        assert.equal(result?.records.length, 100);
        assert.ok((result?.truncatedRecords ?? 0) > 500, `cut ${result?.truncatedRecords}`);
        assert.ok(server.stats().trimmed >= 1);
        assert.ok(performance.now() - started < 15_000);
      },
      { [zone]: records },
    );
  });

  it('zones change at run time: remove a record, add it back, replace and drop zones', () =>
    withServer(async (server) => {
      const resolvers = [{ address: '127.0.0.1', port: server.port }];
      const hosts = async () =>
        ((await lookupSrv(ZONE, { resolvers, timeoutMs: 5000 }))[0]?.records ?? []).map(
          (r) => `${r.host}:${r.port}`,
        );
      assert.deepEqual(await hosts(), [`kms1.${ZONE}:1688`, `kms2.${ZONE}:2688`]);
      assert.equal(server.removeSrv(ZONE, `kms2.${ZONE}`), 1);
      assert.deepEqual(await hosts(), [`kms1.${ZONE}:1688`]);
      server.addSrv(ZONE, { target: `kms2.${ZONE}`, port: 2688, priority: 10, weight: 40 });
      assert.deepEqual(await hosts(), [`kms1.${ZONE}:1688`, `kms2.${ZONE}:2688`]);
      // Removing the last SRV record makes the name disappear: NXDOMAIN, as a real zone does.
      assert.equal(server.removeSrv(ZONE, `kms1.${ZONE}`, 9999), 0, 'port must match');
      server.removeSrv(ZONE, `kms1.${ZONE}`);
      server.removeSrv(ZONE, `kms2.${ZONE}`);
      const [gone] = await lookupSrv(ZONE, { resolvers, timeoutMs: 5000 });
      assert.equal(gone?.rcode, 'NXDOMAIN');
      assert.equal(gone?.success, true);
      // A bad record is refused whole: nothing of the batch is applied.
      assert.throws(
        () =>
          server.setZone(ZONE, [
            kmsSrvRecord(ZONE, { target: `kms1.${ZONE}`, port: 1688 }),
            { type: 'A', name: `kms1.${ZONE}`, address: 'not-an-ip' },
          ]),
        DnsZoneError,
      );
      assert.throws(
        () => server.addRecords(ZONE, [{ type: 'A', name: 'x.other.test', address: '127.0.0.1' }]),
        /not in zone/,
      );
      assert.throws(() => server.addSrv(ZONE, { target: 'k', port: 70_000 }), /port/);
      server.setZone(ZONE, alphaZone());
      assert.equal(server.records(ZONE).length, alphaZone().length);
      server.setZone('new.kms-lab.test', [
        kmsSrvRecord('new.kms-lab.test', { target: `kms1.${ZONE}`, port: 1688 }),
      ]);
      const [fresh] = await lookupSrv('new.kms-lab.test', { resolvers, timeoutMs: 5000 });
      // The target lives in another served zone: its glue still comes along.
      assert.deepEqual(fresh?.records[0]?.addresses, ['127.0.0.1', '::1']);
      assert.equal(server.removeZone('new.kms-lab.test'), true);
      const [refused] = await lookupSrv('new.kms-lab.test', { resolvers, timeoutMs: 5000 });
      assert.equal(refused?.error?.reason, 'refused');
      assert.deepEqual(server.zones(), ['alpha.kms-lab.test', 'empty.kms-lab.test']);
    }));

  it('the project’s lookupSrv reads records, glue addresses, TTLs and NXDOMAIN from it', () =>
    withServer(async (server) => {
      const resolvers = [{ address: '127.0.0.1', port: server.port }];
      const [found] = await lookupSrv(ZONE, { resolvers, timeoutMs: 5000 });
      assert.equal(found?.success, true);
      assert.equal(found?.rcode, 'NOERROR');
      assert.equal(found?.resolver, server.resolver);
      assert.equal(found?.ttl, 60, 'lowest TTL of the set');
      assert.deepEqual(
        found?.records.map((r) => [r.host, r.port, r.priority, r.weight, r.addresses]),
        [
          [`kms1.${ZONE}`, 1688, 0, 60, ['127.0.0.1', '::1']],
          [`kms2.${ZONE}`, 2688, 10, 40, ['127.0.0.2']],
        ],
      );
      const [missing] = await lookupSrv('empty.kms-lab.test', { resolvers, timeoutMs: 5000 });
      assert.equal(missing?.rcode, 'NXDOMAIN');
      assert.equal(missing?.error?.reason, 'nxdomain');
      assert.equal(missing?.ttl, 30);
      const answer = await new DnsClient().query(
        resolvers[0] as { address: string; port: number },
        {
          name: `kms1.${ZONE}`,
          type: 'A',
        },
      );
      assert.equal(answer.response.authoritative, true);
      assert.equal(answer.response.edns, true);
    }));

  it('dig agrees, over UDP and TCP', () =>
    withServer(async (server) => {
      for (const transport of [[], ['+tcp']]) {
        const srv = await digSrv(server.port, SRV_NAME);
        assert.equal(srv.status, 'NOERROR');
        assert.deepEqual(
          srv.records.map((r) => [r.priority, r.weight, r.port, r.target]),
          [
            [0, 60, 1688, `kms1.${ZONE}`],
            [10, 40, 2688, `kms2.${ZONE}`],
          ],
        );
        const full = await dig(server.port, SRV_NAME, 'SRV', ...transport);
        assert.match(full, /flags: qr aa rd;/);
        assert.match(
          full,
          /ADDITIONAL SECTION:\nkms1\.alpha\.kms-lab\.test\.\s+60\s+IN\s+A\s+127\.0\.0\.1/,
        );
        const nx = await dig(server.port, '_vlmcs._tcp.empty.kms-lab.test', 'SRV', ...transport);
        assert.match(nx, /status: NXDOMAIN/);
        assert.match(nx, /AUTHORITY SECTION:\nempty\.kms-lab\.test\.\s+30\s+IN\s+SOA/);
        assert.match(await dig(server.port, 'example.com', 'A', ...transport), /status: REFUSED/);
      }
      assert.deepEqual((await digAddresses(server.port, `kms1.${ZONE}`)).sort(), [
        '127.0.0.1',
        '::1',
      ]);
    }));

  it('listens on loopback only: other addresses are refused before any socket exists', async () => {
    await settleHandles();
    const before = activeResources();
    for (const address of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', 'fe80::1']) {
      await assert.rejects(startDnsZoneServer({ address }), NonLoopbackAddressError, address);
    }
    await assertNothingLeftOpen(before);
    const other = await startDnsZoneServer({
      address: '127.0.0.53',
      zones: { [ZONE]: alphaZone() },
    });
    try {
      assert.equal(other.address, '127.0.0.53');
      assert.equal(other.resolver, `127.0.0.53:${other.port}`);
      const [r] = await lookupSrv(ZONE, {
        resolvers: [{ address: '127.0.0.53', port: other.port }],
        timeoutMs: 5000,
      });
      assert.equal(r?.records.length, 2);
    } finally {
      await other.close();
    }
    let v6: DnsZoneServer;
    try {
      v6 = await startDnsZoneServer({ address: '::1', zones: { [ZONE]: alphaZone() } });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return; // no IPv6 loopback here
      throw error;
    }
    try {
      assert.equal(v6.resolver, `[::1]:${v6.port}`);
      const [r] = await lookupSrv(ZONE, {
        resolvers: [{ address: '::1', port: v6.port }],
        timeoutMs: 5000,
      });
      assert.equal(r?.records.length, 2);
    } finally {
      await v6.close();
    }
  });

  it('survives garbage: drops what is no query, FORMERR/NOTIMP where it can answer', () =>
    withServer(async (server) => {
      const random = seededRandom(0x1ab0);
      const bytes = (n: number) =>
        Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
      // Too short for a header, and a response (answering it could start a loop): silence.
      assert.equal(await udpAsk(server.port, Buffer.from([1, 2, 3]), 300), null);
      const response = Buffer.from(query(SRV_NAME, 'SRV'));
      response[2] = (response[2] ?? 0) | 0x80;
      assert.equal(await udpAsk(server.port, response, 300), null);
      // No question, two questions, a compression loop, a cut question: FORMERR with our ID.
      const noQuestion = Buffer.from(query(SRV_NAME, 'SRV', { id: 9 })).subarray(0, 12);
      noQuestion.writeUInt16BE(0, 4);
      const twoQuestions = Buffer.from(query(SRV_NAME, 'SRV', { id: 9 }));
      twoQuestions.writeUInt16BE(2, 4);
      const loop = Buffer.concat([noQuestion, Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
      loop.writeUInt16BE(1, 4);
      const cut = Buffer.from(query(SRV_NAME, 'SRV', { id: 9 })).subarray(0, 20);
      for (const [what, datagram] of [
        ['no question', noQuestion],
        ['two questions', twoQuestions],
        ['pointer loop', loop],
        ['cut', cut],
      ] as const) {
        const answer = await udpAsk(server.port, datagram);
        assert.ok(answer, what);
        assert.equal(answer.readUInt16BE(0), 9, what);
        assert.equal(rcodeOf(answer), 1, `${what}: FORMERR`);
      }
      const notify = Buffer.from(query(ZONE, 'SOA', { id: 10 }));
      notify[2] = ((notify[2] ?? 0) & 0x87) | (4 << 3);
      assert.equal(rcodeOf((await udpAsk(server.port, notify)) as Buffer), 4, 'NOTIMP');
      // EDNS version 1: BADVERS (16), its upper bits in the OPT record.
      const v1 = Buffer.from(query(SRV_NAME, 'SRV', { id: 11, edns: true }));
      v1[v1.length - 5] = 1; // OPT ttl byte 2: the EDNS version
      const badvers = decode(await udpAsk(server.port, v1));
      const opt = badvers.additionals?.find((a) => a.type === 'OPT');
      assert.ok(opt && opt.type === 'OPT');
      assert.equal(((opt.extendedRcode ?? 0) << 4) | ((badvers.flags ?? 0) & 0xf), 16);
      // A thousand random datagrams (with a query-like header half the time).
      const sender = dgram.createSocket('udp4');
      for (let i = 0; i < 1000; i++) {
        const datagram = bytes(1 + Math.floor(random() * 600));
        if (i % 2 === 0 && datagram.length > 3) datagram[2] = (datagram[2] ?? 0) & 0x7f;
        sender.send(datagram, server.port, '127.0.0.1');
      }
      await new Promise((r) => setTimeout(r, 300));
      sender.close();
      // Random TCP streams: a frame too short for a header ends the connection.
      const short = await tcpExchange(server.port, [Buffer.from([0, 3, 1, 2, 3])], 1);
      assert.equal(short.closed, true);
      for (let i = 0; i < 20; i++) {
        await tcpExchange(server.port, [bytes(1 + Math.floor(random() * 300))], 1, 200);
      }
      // Still answering, over both transports.
      assert.equal(rcode(decode(await udpAsk(server.port, query(SRV_NAME, 'SRV')))), 'NOERROR');
      const after = await tcpExchange(server.port, [framed(query(SRV_NAME, 'SRV'))], 1);
      assert.equal(rcode(decode(after.answers[0] ?? null)), 'NOERROR');
      const stats = server.stats();
      assert.ok(stats.dropped > 0 && (stats.rcodes.FORMERR ?? 0) >= 4, JSON.stringify(stats));
    }));

  it('close() leaves no socket or timer behind, with connections still open', async () => {
    await withoutLeaks(async () => {
      const server = await startDnsZoneServer({ zones: { [ZONE]: alphaZone() } });
      const idle = net.connect({ port: server.port, host: '127.0.0.1' });
      idle.on('error', () => undefined);
      await new Promise((r) => idle.once('connect', r));
      const half = net.connect({ port: server.port, host: '127.0.0.1' });
      half.on('error', () => undefined);
      await new Promise((r) => half.once('connect', r));
      half.write(Buffer.from([0, 40, 1, 2]));
      await udpAsk(server.port, query(SRV_NAME, 'SRV'));
      await new Promise((r) => setTimeout(r, 50));
      await server.close();
      await server.close();
      await Promise.all(
        [idle, half].map((s) => new Promise((r) => (s.destroyed ? r(null) : s.once('close', r)))),
      );
    });
  });

  it('idle TCP connections are closed after the idle timeout', async () => {
    const server = await startDnsZoneServer({ zones: { [ZONE]: alphaZone() }, idleTimeoutMs: 200 });
    try {
      const socket = net.connect({ port: server.port, host: '127.0.0.1' });
      socket.on('error', () => undefined);
      const started = performance.now();
      await new Promise((r) => socket.once('close', r));
      assert.ok(performance.now() - started < 5000);
    } finally {
      await server.close();
    }
  });

  it('rejects bad options and zone data before binding', async () => {
    await assert.rejects(startDnsZoneServer({ port: 70_000 }), DnsZoneError);
    await assert.rejects(startDnsZoneServer({ zones: { '.': [] } }), /root/);
    await assert.rejects(
      startDnsZoneServer({
        zones: { [ZONE]: [{ type: 'AAAA', name: ZONE, address: '127.0.0.1' }] },
      }),
      /IPv6/,
    );
    await assert.rejects(
      startDnsZoneServer({
        zones: { [ZONE]: [{ type: 'A', name: `${'x'.repeat(64)}.${ZONE}`, address: '127.0.0.1' }] },
      }),
      DnsZoneError,
    );
  });
});
