/**
 * Reads one forest's activation objects over LDAP, read-only: connect (LDAPS, or LDAP then
 * StartTLS), verify the server certificate, simple-bind, find the Configuration partition
 * in the RootDSE unless `base` is configured, and list msSPP-ActivationObject entries of
 * the Activation Objects container with a paged search (AD answers at most 1000 entries per
 * page). Every outcome is a result, never an exception: a failure carries a named reason.
 * Every socket the read opened is destroyed before it returns. The password is fetched for
 * the bind, used once and scrubbed from any message that could echo it.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Client } from 'ldapts';
import { readBoundedFile } from '../util/read-bounded-file.js';
import type { AdbaForestConfig } from './config.js';
import { decodeActivationObject, type AdbaObject } from './decode.js';
import {
  AdbaReadError,
  classifyFailure,
  type AdbaFailureReason,
  type AdbaPhase,
} from './failure.js';
import { fetchPassword } from './password.js';
import {
  ACTIVATION_OBJECTS_RDNS,
  ACTIVATION_OBJECT_CLASS,
  BINARY_ATTRIBUTES,
  CONFIGURATION_NC,
  REQUESTED_ATTRIBUTES,
} from './schema.js';
import { Watchdog } from './watchdog.js';

/** More activation objects than any forest has (one per CSVLK); the rest is not read. */
export const MAX_ADBA_OBJECTS = 1000;
const DEFAULT_PAGE_SIZE = 200;

interface ReadBase {
  forest: string;
  durationMs: number;
}

export interface AdbaReadSuccess extends ReadBase {
  ok: true;
  /** The container searched. */
  container: string;
  objects: AdbaObject[];
  /** More than MAX_ADBA_OBJECTS objects: only the first were read. */
  truncated: boolean;
  pages: number;
}

export interface AdbaReadFailure extends ReadBase {
  ok: false;
  reason: AdbaFailureReason;
  phase: AdbaPhase;
  message: string;
}

export type AdbaReadResult = AdbaReadSuccess | AdbaReadFailure;

/** The part of a pino logger the collector uses. */
export interface AdbaLogger {
  debug(details: object, message: string): void;
}

export interface ReadForestOptions {
  env?: NodeJS.ProcessEnv;
  logger?: AdbaLogger;
  /** Entries per search page (tests make it small to prove paging). */
  pageSize?: number;
  /** Aborting it ends the read at once and destroys its sockets (shutdown, reload). */
  signal?: AbortSignal;
}

function hostOf(url: string): string {
  const host = new URL(url).hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function scrub(text: string, secret: string | null): string {
  return secret === null || secret === '' ? text : text.split(secret).join('[redacted]');
}

function firstText(value: unknown): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v === 'string') return v;
  return Buffer.isBuffer(v) ? v.toString('utf8') : null;
}

async function tlsOptions(config: AdbaForestConfig): Promise<tls.ConnectionOptions> {
  const host = hostOf(config.url);
  const options: tls.ConnectionOptions = {
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    host,
    ...(net.isIP(host) === 0 ? { servername: host } : {}),
  };
  if (config.caFile !== null) {
    try {
      options.ca = await readBoundedFile(config.caFile, 'ca_file');
    } catch (err) {
      throw new AdbaReadError('tls', (err as Error).message);
    }
  }
  return options;
}

export async function readForest(
  config: AdbaForestConfig,
  options: ReadForestOptions = {},
): Promise<AdbaReadResult> {
  const started = performance.now();
  const sockets = new Set<net.Socket>();
  const destroyAll = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  const watchdog = new Watchdog(config.timeoutMs, destroyAll);
  const cancel = (): void => watchdog.cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });
  let password: string | null = null;
  let client: Client | null = null;

  const track = <S extends net.Socket>(socket: S, tlsNext: boolean): S => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (tlsNext) socket.once('connect', () => watchdog.enter('tls'));
    if (socket instanceof tls.TLSSocket) socket.once('secureConnect', () => watchdog.enter('bind'));
    return socket;
  };

  try {
    if (options.signal?.aborted === true) watchdog.cancel();
    const secure = await tlsOptions(config);
    const ldaps = new URL(config.url).protocol === 'ldaps:';
    client = new Client({
      url: config.url,
      timeout: config.timeoutMs,
      connectTimeout: config.timeoutMs,
      // AD accepts UPNs (user@corp.example) and DOMAIN\user as bind names, which are no DNs.
      strictDN: false,
      // Only for ldaps://: ldapts connects with implicit TLS whenever tlsOptions are set.
      ...(ldaps ? { tlsOptions: secure } : {}),
      createConnection: ((...args: Parameters<typeof net.connect>) =>
        track(net.connect(...args), config.startTls)) as typeof net.connect,
      createSecureConnection: ((...args: Parameters<typeof tls.connect>) =>
        track(tls.connect(...args), ldaps)) as typeof tls.connect,
    });
    const ldap = client;

    if (config.startTls) await watchdog.run('connect', () => ldap.startTLS(secure));
    password = await fetchPassword(config.password, options.env).catch((err: Error) => {
      throw new AdbaReadError('bind', `no bind password: ${err.message}`);
    });
    const secret = password;
    await watchdog.run(ldaps ? 'connect' : 'bind', () => ldap.bind(config.bindDn, secret));

    let base = config.base;
    if (base === null) {
      const { searchEntries } = await watchdog.run('rootdse', () =>
        ldap.search('', {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes: [CONFIGURATION_NC],
        }),
      );
      const root: Record<string, unknown> = searchEntries[0] ?? {};
      const key = Object.keys(root).find((k) => k.toLowerCase() === CONFIGURATION_NC.toLowerCase());
      base = key === undefined ? null : firstText(root[key]);
      if (base === null || base === '') {
        throw new AdbaReadError(
          'not_found',
          `the RootDSE names no ${CONFIGURATION_NC}: is this an Active Directory domain controller? Set base`,
        );
      }
    }

    const container = `${ACTIVATION_OBJECTS_RDNS},${base}`;
    const objects: AdbaObject[] = [];
    let pages = 0;
    let truncated = false;
    watchdog.enter('search');
    const pager = ldap.searchPaginated(container, {
      scope: 'one',
      filter: `(objectClass=${ACTIVATION_OBJECT_CLASS})`,
      attributes: [...REQUESTED_ATTRIBUTES],
      explicitBufferAttributes: [...BINARY_ATTRIBUTES],
      paged: { pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE },
    });
    for (;;) {
      const page = await watchdog.run('search', () => pager.next());
      if (page.done === true) break;
      pages += 1;
      for (const entry of page.value.searchEntries) objects.push(decodeActivationObject(entry));
      if (objects.length > MAX_ADBA_OBJECTS) {
        truncated = true;
        objects.length = MAX_ADBA_OBJECTS;
        await pager.return(undefined).catch(() => {});
        break;
      }
    }
    const result: AdbaReadSuccess = {
      forest: config.name,
      ok: true,
      container,
      objects,
      truncated,
      pages,
      durationMs: Math.round(performance.now() - started),
    };
    options.logger?.debug(
      { forest: config.name, objects: objects.length, pages, durationMs: result.durationMs },
      'adba forest read',
    );
    return result;
  } catch (err) {
    const phase = watchdog.phase;
    let failure: AdbaReadError;
    try {
      failure = classifyFailure(err, phase, config.timeoutMs);
    } catch {
      // Classifying must not turn a failed read into an exception.
      failure = new AdbaReadError('protocol', `${phase} failed`);
    }
    const result: AdbaReadFailure = {
      forest: config.name,
      ok: false,
      reason: failure.reason,
      phase,
      message: scrub(failure.message, password),
      durationMs: Math.round(performance.now() - started),
    };
    options.logger?.debug(
      { forest: config.name, reason: result.reason, phase, durationMs: result.durationMs },
      `adba forest unreadable: ${result.message}`,
    );
    return result;
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    watchdog.stop();
    if (client !== null && client.isConnected) {
      // A polite unbind when the connection still works; bounded, since a hostile server
      // need not read it.
      const bye = client.unbind().catch(() => {});
      await Promise.race([bye, new Promise((resolve) => setTimeout(resolve, 200).unref())]);
    }
    destroyAll();
  }
}
