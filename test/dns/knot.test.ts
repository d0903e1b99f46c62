/**
 * The Knot DNS fixture the DNS benchmark's goal rows run against: it must serve what the
 * dnsmasq fixture serves for the same data (so lookupSrv's whole discovery works, with the
 * targets' addresses in the additional section), refuse every name outside its zone
 * without asking anyone (authoritative only: no recursion, RA clear), and leave nothing
 * behind when stopped.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DnsClient, lookupSrv } from '../../src/dns/index.js';
import { knotAvailable, startKnot, zoneFile, type Knot } from '../fixtures/dns-knot.js';
import { kmsSrvOwner } from '../fixtures/dns-dnsmasq.js';
import { manyDomainsZone } from '../fixtures/dns-zones.js';
import { digAddresses, digSrv } from './dig.js';

const skip = knotAvailable() ? false : 'knot is not installed';

describe('zoneFile', () => {
  it('writes SRV, A and AAAA under the origin and leaves out names outside it', () => {
    const text = zoneFile('many.test', {
      srv: [
        { name: '_vlmcs._tcp.d0.many.test', target: 'kms.d0.many.test', port: 1688, weight: 5 },
        { name: '_vlmcs._tcp.none.many.test' },
        { name: '_vlmcs._tcp.other.test', target: 'kms.other.test' },
      ],
      hosts: [{ name: 'kms.d0.many.test', addresses: ['127.1.0.1', 'fd00::1:0'] }],
      ttl: 60,
    });
    const lines = text.split('\n');
    assert.equal(lines[0], '$TTL 60');
    assert.ok(lines.includes('_vlmcs._tcp.d0.many.test. SRV 0 5 1688 kms.d0.many.test.'));
    assert.ok(lines.includes('_vlmcs._tcp.none.many.test. SRV 0 0 0 .'));
    assert.ok(lines.includes('kms.d0.many.test. A 127.1.0.1'));
    assert.ok(lines.includes('kms.d0.many.test. AAAA fd00::1:0'));
    assert.ok(!text.includes('other.test'), text);
  });
});

describe('Knot DNS fixture', { skip }, () => {
  const { domains, data } = manyDomainsZone(50);
  let knot: Knot;
  before(async () => {
    knot = await startKnot(data, { origin: 'many.test' });
  });
  after(async () => {
    await knot?.stop();
  });

  it('serves every SRV record and its target addresses as dig sees them', async () => {
    for (const domain of [domains[0], domains[17], domains[49]] as string[]) {
      const [result] = await lookupSrv(domain, { resolvers: [knot.resolver] });
      assert.ok(result?.success, JSON.stringify(result));
      const dug = await digSrv(knot.port, kmsSrvOwner(domain));
      assert.equal(dug.status, 'NOERROR');
      assert.deepEqual(
        result.records.map((r) => `${r.host}:${r.port}`),
        dug.records.map((r) => `${r.target.replace(/\.$/, '')}:${r.port}`),
      );
      const target = result.records[0]?.host as string;
      assert.deepEqual(
        [...(result.records[0]?.addresses ?? [])].sort(),
        [...(await digAddresses(knot.port, target))].sort(),
      );
    }
  });

  it('puts the target addresses in the additional section, so one query discovers', async () => {
    const answer = await new DnsClient().query(knot.resolver, {
      name: kmsSrvOwner(domains[3] as string),
      type: 'SRV',
    });
    assert.equal(answer.response.rcode, 'NOERROR');
    assert.equal(answer.response.authoritative, true);
    assert.deepEqual(answer.response.additionals.map((r) => r.type).sort(), ['A', 'AAAA']);
  });

  it('refuses a name outside its zone at once: it asks no one', async () => {
    const started = performance.now();
    const answer = await new DnsClient().query(
      knot.resolver,
      { name: 'example.com', type: 'A' },
      { timeoutMs: 2000 },
    );
    assert.equal(answer.response.rcode, 'REFUSED');
    assert.equal(answer.response.answers.length, 0);
    // A forwarder would have to wait for an upstream; REFUSED comes from knotd itself.
    assert.ok(performance.now() - started < 1000);
  });

  it('leaves no process behind when stopped', async () => {
    const own = await startKnot(data, { origin: 'many.test' });
    assert.ok(existsSync(`/proc/${own.pid}`));
    await own.stop();
    assert.ok(!existsSync(`/proc/${own.pid}`));
    await own.stop();
  });
});
