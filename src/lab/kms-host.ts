/**
 * The lab KMS host: the server side of the KMS protocol on loopback, for tests and the
 * demo. It answers only the lab's own products (lab-products.ts) and refuses every real
 * KMS counted ID with 0xC004F042 (docs/design.md principle 4); it counts clients like a real
 * host (cmid-table.ts); faults and delays reproduce broken hosts (faults.ts).
 */
import net from 'node:net';
import { CmidTable } from './cmid-table.js';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  applyLabSettings,
  defaultLabHostConfig,
  parseCounts,
  LabConfigError,
} from './host-config.js';
import type { LabHostConfig, LabKmsHostOptions, LabKmsHostSettings } from './host-config.js';
import { answerKmsRequest, decideKmsRequest } from './kms-answer.js';
import type { KmsDecision } from './kms-answer.js';
import type { CounterName } from '../kms/products/index.js';
import { LAB_COUNTERS, largestLabNPolicy, resolveLabApplication } from './lab-products.js';
import { loopbackListenAddress } from './loopback.js';
import { Serial } from './serial.js';
import { closeTcp, listenTcp } from './sockets.js';
import { LabKmsSession } from './kms-session.js';
import type { SessionHost } from './kms-session.js';
import { emptyStats } from './stats.js';
import type { LabHostStats } from './stats.js';

export interface LabKmsHost {
  /** The loopback address listened on. */
  readonly address: string;
  readonly port: number;
  /**
   * Changes settings at run time (validated first: a bad value throws and changes nothing).
   * Resolves once applied — for refuse_connection, once the listener is closed or reopened.
   * If the port was taken meanwhile the reopen rejects; calling configure() again retries.
   */
  configure(settings: LabKmsHostSettings): Promise<void>;
  /** The current count of an application ('windows', an application ID or a lab slug). */
  count(applicationOrSlug: string): number;
  /** A copy of the counters. */
  stats(): LabHostStats;
  /** The settings in force (defaults applied). */
  settings(): LabHostConfig;
  /** Stops listening and destroys every connection and timer. */
  close(): Promise<void>;
}

export async function startLabKmsHost(options: LabKmsHostOptions = {}): Promise<LabKmsHost> {
  // Validate everything before a socket exists: a refused address never binds.
  const address = loopbackListenAddress(options.address);
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new LabConfigError(`port must be 0..65535, got ${requestedPort}`);
  }
  const now = options.now ?? Date.now;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const maxPduSize = options.maxPduSize ?? 8 * 1024;
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  let config = applyLabSettings(defaultLabHostConfig(), options);
  const initialCounts = parseCounts(options.counts ?? {});

  const tables = new Map<CounterName, CmidTable>(LAB_COUNTERS.map((c) => [c, new CmidTable(now)]));
  const table = (counter: CounterName): CmidTable => tables.get(counter) as CmidTable;
  const setCounts = (counts: Map<CounterName, number>): void => {
    for (const [application, n] of counts) {
      table(application).clear();
      table(application).prefill(n, largestLabNPolicy(application));
    }
  };
  setCounts(initialCounts);

  const stats = emptyStats();
  const sessions = new Set<LabKmsSession>();
  let port = requestedPort;
  let closed = false;

  const sessionHost: SessionHost = {
    get port() {
      return port;
    },
    maxPduSize,
    idleTimeoutMs,
    stats,
    config: () => config,
    decide: (payload: Uint8Array): KmsDecision => decideKmsRequest(payload, config, now()),
    answer: (decision) => answerKmsRequest(decision, table(decision.counter), config).payload,
  };

  const server = net.createServer({ noDelay: true }, (socket) => {
    if (closed) {
      socket.destroy();
      return;
    }
    stats.connections++;
    stats.activeConnections++;
    const session = new LabKmsSession(socket, sessionHost, (s) => {
      if (sessions.delete(s)) stats.activeConnections--;
    });
    sessions.add(session);
    session.start();
  });
  server.maxConnections = maxConnections;
  await listenTcp(server, requestedPort, address);
  port = (server.address() as net.AddressInfo).port;

  // refuse_connection is a closed listener (a real RST on connect), reopened on the same port.
  const listenerChanges = new Serial();
  const syncListener = (): Promise<void> =>
    listenerChanges.run(async () => {
      if (closed) return;
      const refuse = config.fault?.mode === 'refuse_connection';
      if (refuse && server.listening) await closeTcp(server);
      else if (!refuse && !server.listening) await listenTcp(server, port, address);
    });
  if (config.fault?.mode === 'refuse_connection') await syncListener();

  return {
    address,
    get port() {
      return port;
    },
    async configure(settings) {
      const next = applyLabSettings(config, settings);
      const counts = settings.counts === undefined ? null : parseCounts(settings.counts);
      config = next;
      if (counts !== null) setCounts(counts);
      await syncListener();
    },
    count(applicationOrSlug) {
      const application = resolveLabApplication(applicationOrSlug);
      if (application === undefined) {
        throw new LabConfigError(
          `unknown application or lab product ${JSON.stringify(applicationOrSlug)}`,
        );
      }
      return table(application).count();
    },
    stats: () => ({ ...stats }),
    settings: () => config,
    async close() {
      if (closed) return;
      closed = true;
      await listenerChanges.idle();
      for (const session of [...sessions]) session.destroy();
      await closeTcp(server);
    },
  };
}
