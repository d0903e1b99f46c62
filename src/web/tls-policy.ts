/**
 * The TLS choices of the web configuration, as exporter-toolkit names them, mapped to what
 * Node (OpenSSL) takes: versions, TLS 1.2 cipher suites (forward-secret ECDHE only),
 * curves. Anything that cannot be honoured is refused with a message that says why,
 * rather than accepted and ignored.
 */

export const TLS_VERSIONS = { TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
export type TlsVersionName = keyof typeof TLS_VERSIONS;
/** Names exporter-toolkit accepts that Node cannot honour here (see versionProblem). */
const REFUSED_VERSIONS = ['TLS10', 'TLS11'];

/** Go's names of the forward-secret TLS 1.2 suites → OpenSSL's. */
const TLS12_SUITES: Readonly<Record<string, string>> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
};

/**
 * The key a TLS 1.2 suite's server certificate must hold: the suite name says how the
 * server signs its key exchange (TLS_ECDHE_ECDSA_… with an ECDSA key, TLS_ECDHE_RSA_…
 * with an RSA key), so it is read from the name rather than kept beside it.
 */
function keyOfSuite(name: string): 'ecdsa' | 'rsa' | undefined {
  if (!(name in TLS12_SUITES)) return undefined;
  return name.startsWith('TLS_ECDHE_ECDSA_') ? 'ecdsa' : 'rsa';
}

/** Without cipher_suites: the ECDHE suites with AEAD ciphers (no CBC), server order. */
const DEFAULT_TLS12 = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];

/** TLS 1.3 has its own suites, all AEAD and forward-secret; Go does not let them be chosen. */
const TLS13_SUITES = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
];

const RSA_KEY_EXCHANGE = /^TLS_RSA_WITH_/;

export const CURVES: Record<string, string> = {
  CurveP256: 'P-256',
  CurveP384: 'P-384',
  CurveP521: 'P-521',
  X25519: 'X25519',
};

/** Why a min_version/max_version name cannot be used, or null. */
export function versionProblem(name: string): string | null {
  if (name in TLS_VERSIONS) return null;
  if (REFUSED_VERSIONS.includes(name)) {
    return `${name} is not supported: TLS 1.0 and 1.1 are deprecated (RFC 8996) and disabled in Node's OpenSSL; use TLS12 or TLS13`;
  }
  return `unknown TLS version ${JSON.stringify(name)}; expected TLS12 or TLS13`;
}

/** Why a cipher_suites entry cannot be used, or null. */
export function suiteProblem(name: string): string | null {
  if (name in TLS12_SUITES) return null;
  if (TLS13_SUITES.includes(name)) {
    return `${name} is a TLS 1.3 suite; cipher_suites applies to TLS 1.2 only (TLS 1.3 always offers its own suites)`;
  }
  if (RSA_KEY_EXCHANGE.test(name)) {
    return `${name} is not forward-secret (RSA key exchange); only ECDHE suites are accepted`;
  }
  return `unknown cipher suite ${JSON.stringify(name)}; accepted: ${Object.keys(TLS12_SUITES).join(', ')}`;
}

/** Why a curve_preferences entry cannot be used, or null. */
export function curveProblem(name: string): string | null {
  if (name in CURVES) return null;
  return `unknown curve ${JSON.stringify(name)}; accepted: ${Object.keys(CURVES).join(', ')}`;
}

/** The TLS 1.2 suites in use: the configured ones, else the defaults. */
function tls12InUse(suites: readonly string[] | undefined): readonly string[] {
  return suites && suites.length > 0 ? suites : DEFAULT_TLS12;
}

/** The OpenSSL cipher string: TLS 1.3 suites, then the TLS 1.2 ones in the given order. */
export function cipherString(suites: readonly string[] | undefined): string {
  const tls12 = tls12InUse(suites).map((s) => TLS12_SUITES[s]!);
  return [...TLS13_SUITES, ...new Set(tls12)].join(':');
}

/** The TLS 1.2 suites in use (configured or default) that can sign with a key of `kind`. */
export function suitesForKey(
  suites: readonly string[] | undefined,
  kind: 'ecdsa' | 'rsa',
): string[] {
  return tls12InUse(suites).filter((s) => keyOfSuite(s) === kind);
}

export function ecdhCurveString(curves: readonly string[] | undefined): string | undefined {
  return curves && curves.length > 0 ? curves.map((c) => CURVES[c]!).join(':') : undefined;
}
