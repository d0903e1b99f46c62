/**
 * Every way a forest read fails ends in a named reason within its timeout, with no socket
 * left open and no trace of the password: wrong password, untrusted CA (LDAPS and
 * StartTLS), a server without TLS, a closed port, a server that accepts TCP and never
 * answers, a missing base; and a failing forest does not slow down or break another.
 */
import assert from 'node:assert/strict';
import type net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { readForest } from '../../src/adba/collector.js';
import { validateAdbaForest, type AdbaReadResult } from '../../src/adba/index.js';
import { freePort } from '../../src/lab/free-port.js';
import { silentServer } from '../helpers/silent-server.js';
import {
  slapdAvailable,
  slapdFixtureForSuite,
  startSlapdFixture,
  type SlapdFixture,
} from '../fixtures/slapd.js';

const skip = slapdAvailable() ? false : 'slapd is not installed (apt-get install slapd ldap-utils)';
const TIMEOUT = 800;

async function timed(read: Promise<AdbaReadResult>): Promise<AdbaReadResult & { ok: false }> {
  const result = await read;
  assert.equal(result.ok, false, JSON.stringify(result));
  return result as AdbaReadResult & { ok: false };
}

describe('ADBA collector failures', { skip }, () => {
  let fixture: SlapdFixture;
  let plain: SlapdFixture;
  before(async () => {
    fixture = await startSlapdFixture();
    plain = await startSlapdFixture({ tls: false });
  });
  after(async () => {
    await fixture?.stop();
    await plain?.stop();
  });

  it('a wrong password is `bind`, and neither the result, the log nor the error holds it', async () => {
    const wrong = 'Wr0ng-Secret-7d1f6c';
    const file = join(fixture.pki.dir, 'wrong-password');
    writeFileSync(file, `${wrong}\n`);
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
    );
    for (const config of [
      fixture.forest({ password_file: file }),
      fixture.forest({ password_file: file, url: fixture.slapd.ldapUrl, start_tls: true }),
    ]) {
      const result = await timed(readForest(config, { logger }));
      assert.equal(result.reason, 'bind');
      assert.match(result.message, /invalid credentials/);
      const everything = JSON.stringify(result) + lines.join('');
      assert.ok(!everything.includes(wrong), everything);
      assert.ok(!everything.includes(fixture.reader.password), everything);
    }
    assert.ok(lines.length >= 2 && lines.every((l) => l.includes('"reason":"bind"')));
    // The right password's read leaves no trace of it either.
    const ok = await readForest(fixture.forest(), { logger });
    assert.equal(ok.ok, true);
    assert.ok(!(JSON.stringify(ok) + lines.join('')).includes(fixture.reader.password));
  });

  it('an untrusted CA is `tls`, over LDAPS and StartTLS', async () => {
    const stranger = fixture.pki.strangerCert; // issued by another CA: not the server's
    for (const overrides of [
      { ca_file: stranger },
      { ca_file: stranger, url: fixture.slapd.ldapUrl, start_tls: true },
      { ca_file: undefined }, // Node's public CA store does not know the lab CA either
    ]) {
      const result = await timed(readForest(fixture.forest(overrides)));
      assert.equal(result.reason, 'tls', JSON.stringify(result));
      assert.match(result.message, /certificate/i);
    }
  });

  it('a server that offers no TLS is `tls` for StartTLS and for ldaps:// to its plain port', async () => {
    const startTls = await timed(
      readForest(plain.forest({ url: plain.slapd.ldapUrl, start_tls: true, timeout: TIMEOUT })),
    );
    assert.equal(startTls.reason, 'tls', JSON.stringify(startTls));
    const ldaps = await timed(
      readForest(
        plain.forest({ url: plain.slapd.ldapUrl.replace('ldap:', 'ldaps:'), timeout: TIMEOUT }),
      ),
    );
    assert.equal(ldaps.reason, 'tls', JSON.stringify(ldaps));
  });

  it('a closed port is `connect`, quickly', async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await timed(
      readForest(fixture.forest({ url: `ldaps://127.0.0.1:${port}`, timeout: TIMEOUT })),
    );
    assert.equal(result.reason, 'connect');
    assert.match(result.message, /ECONNREFUSED/);
    assert.ok(Date.now() - started < TIMEOUT);
  });

  it('a server that accepts TCP and never answers is `timeout` within the timeout, sockets closed', async () => {
    const silent = await silentServer();
    try {
      for (const overrides of [
        { url: `ldaps://127.0.0.1:${silent.port}` }, // TLS handshake never answered
        { url: `ldap://127.0.0.1:${silent.port}`, start_tls: true }, // StartTLS never answered
      ]) {
        const started = Date.now();
        const result = await timed(readForest(fixture.forest({ ...overrides, timeout: TIMEOUT })));
        const elapsed = Date.now() - started;
        assert.equal(result.reason, 'timeout', JSON.stringify(result));
        assert.equal(result.phase, 'tls');
        assert.ok(elapsed >= TIMEOUT - 50 && elapsed < TIMEOUT + 1500, `took ${elapsed} ms`);
        // The collector's socket is gone: the server sees no connection left.
        const deadline = Date.now() + 1000;
        while (silent.open() > 0 && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        assert.equal(silent.open(), 0, 'a socket was left open');
      }
    } finally {
      await silent.stop();
    }
  });

  it('a TLS server that answers the bind with bytes that are no LDAP is `protocol`', async () => {
    const server = tls.createServer(
      { cert: readFileSync(fixture.pki.serverCert), key: readFileSync(fixture.pki.serverKey) },
      (socket) => {
        socket.on('error', () => {});
        // An LDAPMessage SEQUENCE whose length runs past anything sent, then garbage, then EOF.
        socket.once('data', () =>
          socket.end(Buffer.from([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01])),
        );
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const result = await timed(
        readForest(fixture.forest({ url: `ldaps://127.0.0.1:${port}`, timeout: TIMEOUT })),
      );
      assert.equal(result.reason, 'protocol', JSON.stringify(result));
      assert.equal(result.phase, 'bind');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a base that does not exist, or one without the Activation Objects container, is `not_found`', async () => {
    const missing = await timed(
      readForest(fixture.forest({ base: 'CN=Configuration,DC=elsewhere,DC=test' })),
    );
    assert.equal(missing.reason, 'not_found', JSON.stringify(missing));
    const noAdba = await timed(
      readForest(fixture.forest({ base: `CN=Users,${fixture.slapd.suffix}` })),
    );
    assert.equal(noAdba.reason, 'not_found');
  });

  it('a missing password file or variable is `bind`, before anything is sent', async () => {
    const noFile = await timed(
      readForest(fixture.forest({ password_file: join(fixture.pki.dir, 'nope') })),
    );
    assert.equal(noFile.reason, 'bind');
    assert.match(noFile.message, /does not exist/);
    const empty = join(fixture.pki.dir, 'empty-password');
    writeFileSync(empty, '\n');
    const anonymous = await timed(readForest(fixture.forest({ password_file: empty })));
    assert.equal(anonymous.reason, 'bind');
    assert.match(anonymous.message, /holds no password/);
    const noEnv = await timed(
      readForest(fixture.forest({ password_file: undefined, password_env: 'ADBA_UNSET' }), {
        env: {},
      }),
    );
    assert.equal(noEnv.reason, 'bind');
  });

  it('a hung forest does not delay or break another read at the same time', async () => {
    const silent = await silentServer();
    try {
      const started = Date.now();
      const [hung, good] = await Promise.all([
        readForest(
          validateAdbaForest({
            ...rawForest(fixture),
            name: 'hung',
            url: `ldaps://127.0.0.1:${silent.port}`,
            timeout: 1500,
          }),
        ),
        (async () => {
          const r = await readForest(fixture.forest({ name: 'good' }));
          return { r, at: Date.now() - started };
        })(),
      ]);
      assert.equal(hung.ok, false);
      assert.equal(good.r.ok, true, JSON.stringify(good.r));
      assert.ok(good.at < 1500, `the good forest took ${good.at} ms`);
      if (good.r.ok) assert.equal(good.r.objects.length, 2);
    } finally {
      await silent.stop();
    }
  });
});

describe('ADBA collector: a directory that is no domain controller', { skip }, () => {
  const fixture = slapdFixtureForSuite({ configurationNamingContext: false });

  it('is `not_found` when the RootDSE names no Configuration partition and base is not set', async () => {
    const result = await timed(readForest(fixture().forest()));
    assert.equal(result.reason, 'not_found');
    assert.equal(result.phase, 'rootdse');
    assert.match(result.message, /names no configurationNamingContext.*Set base/);
    // With base given, the same directory reads fine.
    const withBase = await readForest(fixture().forest({ base: fixture().slapd.configurationDn }));
    assert.equal(withBase.ok, true, JSON.stringify(withBase));
  });
});

function rawForest(fixture: SlapdFixture): Record<string, unknown> {
  return {
    name: 'corp',
    url: fixture.slapd.ldapsUrl,
    bind_dn: fixture.reader.dn,
    password_file: fixture.passwordFile,
    ca_file: fixture.pki.caCert,
  };
}
