// loadWebConfig on real files from a throwaway PKI: a web configuration that validates
// must work, so every value Node cannot honour is refused at load with the key, the line
// and the file it is about, never raw OpenSSL text or a 500 at the first login.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { loadWebConfig } from '../../src/web/web-config.js';
import { makePki, type Pki } from '../helpers/tls.js';

let pki: Pki;
let n = 0;
before(() => {
  pki = makePki();
  writeFileSync(join(pki.dir, 'not-pem.crt'), 'this is not a certificate\n');
  writeFileSync(join(pki.dir, 'der.crt'), Buffer.from([0x30, 0x82, 0x01, 0x00, 0x01]));
});

/** Writes `yaml` to a fresh file in the PKI directory and loads it. */
function load(yaml: string) {
  const file = join(pki.dir, `web-${++n}.yml`);
  writeFileSync(file, yaml);
  return loadWebConfig(file);
}

const TLS = 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n';
const hashWithCost = (cost: number) =>
  // bcryptjs refuses to make a cost-99 hash; the text of one is all the loader sees.
  bcrypt.hashSync('pw', 4).replace(/^\$2b\$04\$/, `$2y$${String(cost).padStart(2, '0')}$`);

describe('basic_auth_users', () => {
  it('a bcrypt cost outside 4–31 is refused at load, not a 500 at every login', async () => {
    await assert.rejects(load(`basic_auth_users:\n  admin: '${hashWithCost(99)}'\n`), {
      message:
        /web-\d+\.yml:2:\d+: basic_auth_users\.admin: bcrypt cost 99 is out of range; valid costs are 4 to 31/,
    });
    await assert.rejects(load(`basic_auth_users:\n  admin: '${hashWithCost(3)}'\n`), {
      message: /bcrypt cost 3 is out of range/,
    });
  });

  it('a cost above 12 loads with a warning saying what it costs', async () => {
    const config = await load(`basic_auth_users:\n  admin: '${hashWithCost(14)}'\n`);
    assert.equal(config.users.size, 1);
    assert.match(
      config.warnings?.join('\n') ?? '',
      /basic_auth_users\.admin: bcrypt cost 14 makes every uncached login take about/,
    );
    const usual = await load(`basic_auth_users:\n  admin: '${hashWithCost(10)}'\n`);
    assert.deepEqual(usual.warnings, []);
  });

  it('$2x$ hashes and user names with a colon are refused', async () => {
    await assert.rejects(
      load(`basic_auth_users:\n  admin: '${hashWithCost(10).replace('$2y$', '$2x$')}'\n`),
      { message: /basic_auth_users\.admin: \$2x\$ hashes .* are not supported/ },
    );
    await assert.rejects(load(`basic_auth_users:\n  'a:b': '${hashWithCost(10)}'\n`), {
      message: /cannot contain ":"/,
    });
  });
});

describe('tls_server_config', () => {
  it('loads a good file: forward-secret suites only, server order, TLS 1.2 minimum', async () => {
    const config = await load(TLS);
    const options = config.tls!.options;
    assert.equal(options.minVersion, 'TLSv1.2');
    assert.equal(options.maxVersion, 'TLSv1.3');
    assert.equal(options.honorCipherOrder, true);
    const tls12 = String(options.ciphers)
      .split(':')
      .filter((c) => !c.startsWith('TLS_'));
    assert.ok(tls12.length > 0);
    for (const suite of tls12) assert.match(suite, /^ECDHE-/, `${suite} is forward-secret`);
  });

  it('min_version above max_version is refused', async () => {
    await assert.rejects(load(`${TLS}  min_version: TLS13\n  max_version: TLS12\n`), {
      message: /tls_server_config\.min_version: TLS13 is above max_version TLS12/,
    });
  });

  it('TLS10 and TLS11 are refused clearly instead of having no effect', async () => {
    await assert.rejects(load(`${TLS}  min_version: TLS10\n`), {
      message:
        /web-\d+\.yml:4:\d+: tls_server_config\.min_version: TLS10 is not supported: TLS 1\.0 and 1\.1 are deprecated/,
    });
    await assert.rejects(load(`${TLS}  max_version: TLS11\n`), {
      message: /max_version: TLS11 is not supported/,
    });
  });

  it('a client_ca_file that is not PEM is an error naming the file', async () => {
    const yaml = (ca: string) =>
      `${TLS}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ${ca}\n`;
    await assert.rejects(load(yaml('not-pem.crt')), {
      message: /tls_server_config\.client_ca_file: \/.*\/not-pem\.crt contains no PEM certificate/,
    });
    await assert.rejects(load(yaml('der.crt')), {
      message: /der\.crt contains no PEM certificate .*looks like DER/,
    });
    await assert.rejects(load(yaml('missing.crt')), {
      message: /client_ca_file: file \/.*\/missing\.crt does not exist/,
    });
  });

  it('a key that does not match the certificate names both files, without OpenSSL text', async () => {
    const err = await load(
      'tls_server_config:\n  cert_file: server.crt\n  key_file: client.key\n',
    ).then(
      () => assert.fail('loaded'),
      (e: Error) => e,
    );
    assert.match(
      err.message,
      /tls_server_config\.key_file: the private key in \/.*\/client\.key does not match the certificate in \/.*\/server\.crt/,
    );
    assert.doesNotMatch(err.message, /error:[0-9A-F]{8}|routines|X509_check_private_key/);
    // A certificate where the key should be, and the other way round.
    await assert.rejects(
      load('tls_server_config:\n  cert_file: server.crt\n  key_file: server.crt\n'),
      {
        message: /key_file: \/.*\/server\.crt contains no PEM private key/,
      },
    );
    await assert.rejects(
      load('tls_server_config:\n  cert_file: server.key\n  key_file: server.key\n'),
      {
        message: /cert_file: \/.*\/server\.key contains no PEM certificate/,
      },
    );
  });

  it('client_ca_file without a client auth type that uses it is refused', async () => {
    await assert.rejects(load(`${TLS}  client_ca_file: ca.crt\n`), {
      message: /client_ca_file: a client CA is configured but client_auth_type is NoClientCert/,
    });
    await assert.rejects(load(`${TLS}  client_auth_type: VerifyClientCertIfGiven\n`), {
      message: /VerifyClientCertIfGiven needs client_ca_file/,
    });
  });

  it('cipher_suites: ECDHE suites by their Go names; RSA key exchange, TLS 1.3 and unknown names refused', async () => {
    const ok = await load(
      `${TLS}  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA]\n`,
    );
    assert.match(
      String(ok.tls!.options.ciphers),
      /:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA$/,
    );
    await assert.rejects(load(`${TLS}  cipher_suites: [TLS_RSA_WITH_AES_128_GCM_SHA256]\n`), {
      message: /cipher_suites\[0\]: TLS_RSA_WITH_AES_128_GCM_SHA256 is not forward-secret/,
    });
    await assert.rejects(load(`${TLS}  cipher_suites: [TLS_AES_128_GCM_SHA256]\n`), {
      message: /is a TLS 1\.3 suite; cipher_suites applies to TLS 1\.2 only/,
    });
    await assert.rejects(load(`${TLS}  cipher_suites: [TLS_MADE_UP]\n`), {
      message: /unknown cipher suite "TLS_MADE_UP"; accepted: TLS_ECDHE_/,
    });
  });

  it('cipher_suites that cannot sign with the certificate key, with TLS 1.3 off, are refused', async () => {
    await assert.rejects(
      load(
        `${TLS}  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n`,
      ),
      { message: /cipher_suites: no suite listed can be used with the ECDSA key of .*server\.crt/ },
    );
    // With TLS 1.3 on, clients that speak it still get in: allowed.
    await load(`${TLS}  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n`);
  });

  it('curve_preferences and prefer_server_cipher_suites take their documented meaning', async () => {
    const config = await load(
      `${TLS}  curve_preferences: [X25519, CurveP384]\n  prefer_server_cipher_suites: false\n`,
    );
    assert.equal(config.tls!.options.ecdhCurve, 'X25519:P-384');
    assert.equal(config.tls!.options.honorCipherOrder, false);
    await assert.rejects(load(`${TLS}  curve_preferences: [CurveP999]\n`), {
      message:
        /curve_preferences\[0\]: unknown curve "CurveP999"; accepted: CurveP256, CurveP384, CurveP521, X25519/,
    });
  });
});

describe('http_server_config', () => {
  it('headers: the five exporter-toolkit allows, with their enumerated values', async () => {
    const config = await load(
      "http_server_config:\n  headers:\n    X-Frame-Options: deny\n    Strict-Transport-Security: max-age=31536000\n    X-XSS-Protection: ''\n",
    );
    // A blank value means "not set".
    assert.deepEqual(config.headers, {
      'X-Frame-Options': 'deny',
      'Strict-Transport-Security': 'max-age=31536000',
    });
    await assert.rejects(load('http_server_config:\n  headers:\n    Server: nginx\n'), {
      message: /http_server_config\.headers\.Server: HTTP header "Server" can not be configured/,
    });
    await assert.rejects(load('http_server_config:\n  headers:\n    X-Frame-Options: allow\n'), {
      message: /headers\.X-Frame-Options: expected one of deny, sameorigin, got "allow"/,
    });
    await assert.rejects(
      load(
        'http_server_config:\n  headers:\n    Content-Security-Policy: "a\\r\\nSet-Cookie: x"\n',
      ),
      {
        message: /headers\.Content-Security-Policy: the value must be printable ASCII on one line/,
      },
    );
  });

  it('http2: false is accepted (HTTP/1.1 is what is served); true is refused clearly', async () => {
    await load('http_server_config:\n  http2: false\n');
    await assert.rejects(load('http_server_config:\n  http2: true\n'), {
      message: /http_server_config\.http2: HTTP\/2 is not supported: kms-monitor serves HTTP\/1\.1/,
    });
  });
});

it('the web configuration file itself goes through the bounded reader', async () => {
  await assert.rejects(loadWebConfig('/dev/zero'), {
    message: /\/dev\/zero: cannot read file: is not a regular file/,
  });
  await assert.rejects(loadWebConfig(pki.dir), { message: /cannot read file: is a directory/ });
});
